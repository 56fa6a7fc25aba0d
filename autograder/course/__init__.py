"""Course content: releasing student stubs from the reference solutions, and the example class.

solutions/NN_NAME/ is the one source of truth; assignments/NN_NAME/ is generated from it by
nbgrader's own generate_assignment (release.py); the example class grades what the
repository already holds (examples.py).
"""
