"""Many runs: seeds x scenarios x parameters on an executor (local processes or Dask), reduced
to quantile bands, scalar outcomes, sensitivity indices and paired comparisons.

Modules: ``executors`` (where runs execute), ``batch`` (resumable batches, catalog registration),
``outcomes`` (named scalar outcomes of a run), ``reduce`` (bands across seeds), ``designs`` (grid,
LHS, Sobol, Morris), ``sensitivity`` (SALib analyses), ``seeds`` (ensembles), ``sweep`` (designs x
seeds), ``compare`` (scenarios on common random numbers), ``reports`` (HTML). See docs/ENSEMBLES.md.
"""
