"""Registers for auditors and staff: the certificate register with its CSV, XLSX and ZIP exports."""
