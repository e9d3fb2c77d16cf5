# The helper functions exported NumPy code calls, as a real module (python3 compiles it in the tests): each
# `def` is copied as text (scripts/runtime-source.mjs) into the code that needs it.
import numpy as np


def _logsumexp(a):
    top = np.max(a)
    return top + np.log(np.sum(np.exp(a - top)))


def _softmax(a):
    e = np.exp(a - np.max(a))
    return e / np.sum(e)
