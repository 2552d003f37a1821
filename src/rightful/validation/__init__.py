"""Validation and calibration: the stylised facts of MODEL.md as checks, and Optuna calibration
against the chapter's public figures.

Modules: ``views`` (one uniform read-only view of a run, in memory or on disk), ``facts`` (the
registry of stylised facts), ``validate`` (runs the scenarios the facts need over seeds and
writes the table), ``targets`` (observed targets and their likelihoods), ``calibrate`` (the
Optuna study). See the docstrings of each for why they are shaped as they are.
"""
