"""CRM sync tests."""
