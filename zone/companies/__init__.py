"""Companies: the applicants' legal entities, their profile and their members."""
