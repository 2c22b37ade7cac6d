"""The life of a posting after it starts (issue 11): its term (MGT.TERM), its end through one
service (``services.posting_close``), one in / one out (MGT.9.HANDOVER), the leave after the
term (GUA.3.LEAVE15) and the handover record (交接清单).  Above registry, selection and
attendance; below web and api."""
