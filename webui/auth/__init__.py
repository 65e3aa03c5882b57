"""Staff accounts and log-in: models, account functions, CLI commands and the web set-up
(``webui.auth.web``)."""
