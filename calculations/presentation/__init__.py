"""What the pages show: numbers formatted for the active language, tables and chart data, one module
per concern.

    labels       the labels of hypotheses, metrics, sections, changes (one table each)
    numbers      digits in the active locale, display units, estimates "value (low–high)"
    charts       the data of every chart (one range-chart builder)
    methodology  a run's region, version tables, changes between versions
    sensitivity  what moves a run's result most (tornado chart)
    uncertainty  the Monte Carlo of a run: 90 % interval, worst case, variance drivers, histogram
    run_page     the run page;  report: the printable audit report
    history      the run history;  comparison: two runs;  periods: totals per month or quarter

Nothing here computes energy or carbon: it reads stored runs (through the selectors) and methodology
snapshots and shapes what the templates need.
"""
