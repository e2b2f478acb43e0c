"""CRM sync: the connector interface, HubSpot, the engine, credentials (issue 8)."""
