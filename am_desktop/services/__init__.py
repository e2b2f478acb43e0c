"""One public function per user action, each a unit of work returning plain records."""
