"""Gait from 2D keypoints, pure (numpy/scipy only): events, cadence, form metrics, runner picking.

Entry point: ``analysis.analyse(series, view)``; the pose backend builds the ``keypoints.PoseSeries``
and uses ``tracks`` to pick the runner. Spec: shared/spec/gait.md.
"""
