import math
import unittest

from hush.trainer import Budget, pooled_wer


class WallClockScheduleTest(unittest.TestCase):
    def test_anneals_by_the_deadline_however_slow_the_steps(self):
        b = Budget(seconds=1000, max_steps=10**9, warmup=0.1)
        # 10 steps or 10,000 steps in the same wall time end at the same point of the curve
        self.assertAlmostEqual(b.lr(10, 500, 1.0), b.lr(10_000, 500, 1.0))
        self.assertAlmostEqual(b.lr(10, 500, 1.0), 0.5)
        self.assertTrue(b.over(10, 1000))
        self.assertFalse(b.over(10, 999))
        self.assertLess(b.lr(10, 999, 1.0), 1e-4)

    def test_warms_up_then_peaks(self):
        b = Budget(seconds=1000, max_steps=10**9, warmup=0.1)
        self.assertAlmostEqual(b.lr(1, 50, 2.0), 2.0 * 0.5 * 0.5 * (1 + math.cos(math.pi * 0.05)))
        self.assertGreater(b.lr(1, 100, 2.0), 1.9)

    def test_step_cap_ends_a_fast_run_early(self):
        b = Budget(seconds=1000, max_steps=100)
        self.assertTrue(b.over(100, 10))
        self.assertAlmostEqual(b.progress(50, 10), 0.5)

    def test_min_steps_outlasts_the_clock(self):
        b = Budget(seconds=1000, max_steps=10**9, min_steps=400)
        self.assertFalse(b.over(200, 5000))
        self.assertAlmostEqual(b.progress(200, 5000), 0.5)
        self.assertTrue(b.over(400, 5000))


if __name__ == "__main__":
    unittest.main()


class PooledDevWerTest(unittest.TestCase):
    def test_a_small_set_weighs_by_its_words_not_as_one_set(self):
        from types import SimpleNamespace
        banks = {"big": SimpleNamespace(texts=["one two three four"] * 25), "tiny": SimpleNamespace(texts=["one two"])}
        # 100 words at 80 % and 2 words at 0 %: the mean would say 40, the pool says 78.4
        self.assertAlmostEqual(pooled_wer({"big": 80.0, "tiny": 0.0}, banks), 80.0 * 100 / 102)
        self.assertIsNone(pooled_wer({}, banks))
