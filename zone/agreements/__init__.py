"""Activity agreements: made at admission, signed by the zone, countersigned by the company, and
amended by supplementary agreements."""
