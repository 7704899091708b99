"""Run inside a warm kernel between two drafts, so that one draft's leftovers never change
the next: matplotlib and pandas state, warnings, random seeds, working directory,
``sys.path``, environment, and finally the IPython namespace itself."""

from __future__ import annotations

import os
import random
import sys
import warnings

_BASELINE: dict = {}


def reset(cwd: str) -> None:
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    if not _BASELINE:
        _BASELINE.update(path=list(sys.path), environ=dict(os.environ))
    plt.close("all")
    mpl.rcdefaults()
    with warnings.catch_warnings():  # pandas 3 warns about its own deprecated options
        warnings.simplefilter("ignore")
        pd.reset_option("all")
    warnings.resetwarnings()
    random.seed(0)
    np.random.seed(0)
    os.chdir(cwd)
    sys.path[:] = _BASELINE["path"]
    os.environ.clear()
    os.environ.update(_BASELINE["environ"])
    from IPython import get_ipython

    get_ipython().reset(new_session=True)
