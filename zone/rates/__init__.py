"""Official exchange rates: the daily USD rates of the National Bank of Kazakhstan (KZT) and of the
Central Bank of Uzbekistan (UZS), imported from their published feeds and kept as dated values.

A package of its own, not part of eligibility: the rates are the banks' data, imported on a schedule
(``flask --app wsgi rates import``), and other domains (reports in USD or the side's currency) will
read them too. Eligibility reads them through :class:`zone.rates.services.StoredRates`, which answers
the engine's :class:`zone.eligibility.conversion.RateBook` question; where no official rate has been
imported, the rule set's ``fx.*`` parameters stay the fallback.

- :mod:`.feeds`: the two published formats, parsed defensively (a bad file is refused whole);
- :mod:`.models`: ``exchange_rates``, one row per source, currency and date;
- :mod:`.services`: storing an import (audited) and the rate in force on a date;
- :mod:`.cli`: ``flask --app wsgi rates import --source nbk|cbu [--file F | --date D]``.
"""
