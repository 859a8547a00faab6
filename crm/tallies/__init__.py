"""Counts kept as the data changes: the dashboard's and the Plan page's totals read a few
rows of `tally` instead of counting every contact and every outreach ever (see
crm/tallies/counters.py for what keeps them right)."""
