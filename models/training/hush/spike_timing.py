"""When do two CTC models fire? Two architectures can put the same symbol's spike frames apart (a
causal student with 200 ms look-ahead against a teacher that sees 2.6 s each side), and frame-level
KD then teaches the student the teacher's timing. Measured here as the lag that best lines up the
two models' non-blank probability over an utterance; pure functions on log-probs [T, C]."""
import torch

from .text import BLANK


def nonblank(logp):
    """Per-frame probability of any symbol but blank, [T]."""
    return 1.0 - logp[:, BLANK].float().exp()


def best_lag(student_logp, teacher_logp, max_lag=10):
    """The lag L (frames, positive: the student fires later) maximising the correlation of the
    student's non-blank probability at t with the teacher's at t - L; None for an utterance
    where either model emits nothing."""
    s, t = nonblank(student_logp), nonblank(teacher_logp)
    n = min(len(s), len(t))
    s, t = s[:n] - s[:n].mean(), t[:n] - t[:n].mean()
    if n <= 2 * max_lag or float(s.norm()) < 1e-6 or float(t.norm()) < 1e-6:
        return None
    scores = {}
    for lag in range(-max_lag, max_lag + 1):
        a = s[max(lag, 0): n + min(lag, 0)]
        b = t[max(-lag, 0): n - max(lag, 0)]
        scores[lag] = float((a * b).sum() / (a.norm() * b.norm() + 1e-9))
    return max(scores, key=scores.get)


def lag_summary(student_logps, teacher_logps, max_lag=10):
    """Median lag, the share of utterances at each lag, and how many utterances counted."""
    lags = [best_lag(s, t, max_lag) for s, t in zip(student_logps, teacher_logps)]
    lags = sorted(x for x in lags if x is not None)
    if not lags:
        return {"utterances": 0, "median_lag_frames": None, "histogram": {}}
    hist = {}
    for x in lags:
        hist[x] = hist.get(x, 0) + 1
    return {"utterances": len(lags), "median_lag_frames": lags[len(lags) // 2],
            "histogram": {str(k): round(v / len(lags), 3) for k, v in sorted(hist.items())}}
