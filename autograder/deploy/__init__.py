"""Ways to run the grader somewhere other than the instructor's machine."""
