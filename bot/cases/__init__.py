"""Cases: the case service, the repository of case rows, reports, retention and export links."""
