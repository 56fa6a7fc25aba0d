"""The course run through nbgrader: release, collect, grade, feedback and export.

nbgrader keeps the class list, the exchange, the gradebook database, formgrader and the
CSV export; our trusted grader replaces only its in-kernel autograding, which guard.py
switches off. course.py maps the repository onto nbgrader's course directory, plug_ins.py
plugs our parts into nbgrader's steps (nbgrader_config.py calls its configure()), release.py
builds and releases an assignment, cell_ids.py names the gradebook's cell for each hidden
test, gradebook.py writes our scores into nbgrader's database and reads the totals back,
totals.py shows that one total the same way everywhere, feedback.py writes the feedback
notebooks, published.py keeps what each student was last shown, lms.py reads an LMS
download, rounds.py strings the instructor's steps together; each returns data, which the
CLI prints through autograder/reports/terminal.py.
"""
