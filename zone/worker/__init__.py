"""The one background worker: every domain's jobs, claimed so several copies never do one twice."""
