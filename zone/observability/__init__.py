"""What operators see of a running zone: log lines (``logs``), Prometheus metrics (``metrics``, served at
``/metrics`` by ``routes``) and, when ``SENTRY_DSN`` is set, error reports (``errors``)."""
