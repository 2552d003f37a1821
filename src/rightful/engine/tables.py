"""Agent tables as structure of arrays: one NumPy column per attribute, preallocated.

Why: compiled kernels walk a column sequentially, small dtypes keep the bytes touched per
agent-day low, and a fixed capacity means nothing is reallocated inside the daily loop. A table
is declared by the units that own its columns (engine.declare.Col); `Table.nbytes_per_row` is what the scale
benchmark reports as resident bytes per agent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from .declare import Col


class Table:
    """A fixed-capacity table of typed columns (structure of arrays).

    Columns are attributes (``workers.wage``) and items (``workers["wage"]``). Rows are agents;
    ``n`` rows are in use out of ``capacity``.
    """

    def __init__(self, name: str, schema: Mapping[str, Col | np.dtype | str | type], capacity: int,
                 kernel_type: type | None = None, fill: Mapping[str, float] | None = None) -> None:
        self.name = name
        fill = dict(fill or {})
        self.decl = {k: c if isinstance(c, Col) else Col(k, np.dtype(c).str, "", fill.get(k, 0))
                     for k, c in schema.items()}
        self.schema = {k: np.dtype(c.dtype) for k, c in self.decl.items()}
        self.capacity = int(capacity)
        self.n = int(capacity)
        self._cols: dict[str, np.ndarray] = {}
        for col, c in self.decl.items():
            arr = np.zeros((self.capacity, *c.shape), dtype=c.dtype)
            if c.fill != 0:
                arr[:] = c.fill
            self._cols[col] = arr
        # the columns as one named group for the compiled kernels (see engine.declare)
        self.cols = kernel_type(**self._cols) if kernel_type is not None else None

    def __getattr__(self, item: str) -> np.ndarray:
        cols = self.__dict__.get("_cols")
        if cols is not None and item in cols:
            return cols[item]
        raise AttributeError(f"table {self.__dict__.get('name')!r} has no column {item!r}")

    def __getitem__(self, item: str) -> np.ndarray:
        return self._cols[item]

    def __setitem__(self, item: str, value: np.ndarray) -> None:
        col = self._cols[item]
        col[: len(value)] = value

    def __iter__(self) -> Iterator[str]:
        return iter(self._cols)

    def columns(self) -> dict[str, np.ndarray]:
        return dict(self._cols)

    @property
    def nbytes_per_row(self) -> int:
        return int(sum(c.nbytes for c in self.decl.values()))

    @property
    def nbytes(self) -> int:
        return int(sum(a.nbytes for a in self._cols.values()))

    def __repr__(self) -> str:
        return (f"Table({self.name!r}, rows={self.n}, columns={len(self.schema)}, "
                f"bytes/row={self.nbytes_per_row})")
