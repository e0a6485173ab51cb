import sys
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import rir as R  # noqa: E402


class RirTest(unittest.TestCase):
    def test_rt60_follows_sabine(self):
        """Schroeder RT60 of the simulated response within a factor 1.5 of Sabine's formula."""
        cases = [((6.0, 4.0, 3.0), 0.3), ((6.0, 4.0, 3.0), 0.12), ((10.0, 7.0, 3.5), 0.25), ((3.0, 3.0, 2.5), 0.4)]
        for dims, alpha in cases:
            sab = R.sabine_rt60(dims, alpha)
            h = R.ism_rir(dims, (1.0, 1.2, 1.5), (2.0, 2.5, 1.0), alpha, length_s=min(1.0, 1.1 * sab))
            rt = R.schroeder_rt60(h)
            self.assertTrue(sab / 1.5 < rt < sab * 1.5, f"{dims} alpha={alpha}: measured {rt:.3f}, Sabine {sab:.3f}")

    def test_more_absorption_shorter_decay(self):
        dims, s, m = (7.0, 5.0, 3.0), (2.0, 2.0, 1.6), (4.5, 3.0, 1.2)
        rts = [R.schroeder_rt60(R.ism_rir(dims, s, m, a, length_s=0.8)) for a in (0.1, 0.3, 0.6)]
        self.assertGreater(rts[0], rts[1])
        self.assertGreater(rts[1], rts[2])

    def test_direct_path_aligned(self):
        h = R.ism_rir((6.0, 4.0, 3.0), (1.0, 1.0, 1.5), (4.0, 3.0, 1.2), 0.3, length_s=0.3)
        first = int(np.argmax(np.abs(h) > 0.5))   # the direct path (a coincident reflection pair may be louder)
        self.assertTrue(10 <= first <= 22, first)  # the response starts ~1 ms (16 samples) before it
        self.assertAlmostEqual(float(np.abs(h).max()), 1.0, places=5)

    def test_random_rooms_in_range_and_deterministic(self):
        a = R.random_room(np.random.default_rng(5))
        b = R.random_room(np.random.default_rng(5))
        self.assertEqual(a, b)
        for i in range(20):
            spec = R.random_room(np.random.default_rng(i))
            self.assertTrue(3.0 <= spec.dims[0] <= 15.0 and 3.0 <= spec.dims[1] <= 10.0 and 2.5 <= spec.dims[2] <= 4.0)
            self.assertTrue(0.15 <= spec.target_rt60 <= 1.0)
            self.assertTrue(0.45 <= spec.distance <= 4.05)

    def test_inside_room(self):
        with self.assertRaises(ValueError):
            R.ism_rir((3, 3, 2.5), (1, 1, 1), (4, 1, 1), 0.3)

    def test_a_bank_room_is_the_same_wherever_it_is_made(self):
        # Stage 02 here and device/rooms.py on a GPU machine must build the same bank from (index, seed).
        h1, m1 = R.simulated_room(3, 2024)
        h2, m2 = R.simulated_room(3, 2024)
        h3, _ = R.simulated_room(4, 2024)
        np.testing.assert_array_equal(h1, h2)
        self.assertEqual(m1, m2)
        self.assertEqual(m1["len"], len(h1))
        self.assertFalse(len(h1) == len(h3) and np.allclose(h1, h3))


if __name__ == "__main__":
    unittest.main()
