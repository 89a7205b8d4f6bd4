"""Cross-cutting web concerns: language, security headers, error pages, access rules, home page."""
