"""Compliance monitoring: the conditions a resident must keep meeting, as rule-set data, and the sanction
ladder (warning, suspension and revocation proposals that people decide) walked by the daily run."""
