"""The Qt-free, SQL-free heart of AM Desktop: vocabulary, value rules, pure calculations."""
