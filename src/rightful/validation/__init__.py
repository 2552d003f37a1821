"""Validation and calibration: the stylised facts of the study (docs/ODD.md, 1.2) as checks, and
Optuna calibration against the chapter's public figures.

Modules: ``views`` (the run-view the facts read: ``rightful.runview``), ``facts`` (the
registry of stylised facts), ``validate`` (runs the scenarios the facts need over seeds and
writes the table), ``targets`` (observed targets and their likelihoods), ``calibrate`` (the
Optuna study). See the docstrings of each for why they are shaped as they are.
"""
