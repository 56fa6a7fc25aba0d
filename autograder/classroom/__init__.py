"""The course run through nbgrader: release, collect, grade, feedback and export.

nbgrader keeps the class list, the exchange, the gradebook database, formgrader and the
CSV export; our trusted grader replaces only its in-kernel autograding. course.py maps
the repository onto nbgrader's course directory, release.py builds and releases an
assignment, pick.py decides which collected file to grade, gradebook.py writes our scores
into nbgrader's database, feedback.py writes the feedback notebooks, lms.py reads an LMS
download, rounds.py strings the instructor's steps together.
"""
