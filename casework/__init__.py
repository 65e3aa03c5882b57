"""The people side: citizens, conversations, network maps, plans of prøvehandlinger, consents,
referrals and the audit log. Free text is encrypted before it reaches the database
(``casework.crypto``); the catalogue never reads this package."""
