"""Data in and out in bulk: CSV/JSON import and export, and the fast insert path seeding uses."""
