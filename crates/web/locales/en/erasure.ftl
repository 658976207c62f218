# Erasing the person of a case and the legal hold (issue 19).

erasure-tab = Erasure
erasure-title = Erasure and legal hold
erasure-hold-title = Legal hold
erasure-hold-on = This case is under a legal hold: nobody can erase the person while it lasts.
erasure-hold-off = This case is not under a legal hold.
erasure-hold-set = Place the case under a legal hold
erasure-hold-lift = Lift the legal hold
erasure-erase-title = Erase the person
erasure-erase-intro = Erasing destroys the person's own encryption key: their identity, documents and files, and the free text of their cases, can no longer be read here or in any backup. The case stays, without anything that names the person, for the statistics. This cannot be undone.
erasure-reason = Why the person is erased (kept in no log)
erasure-confirm = I understand that the person's data is erased for good.
erasure-submit = Erase the person
erasure-refused-hold = The person cannot be erased while the case is under a legal hold. A supervisor must lift the hold first.
erasure-supervisors-only = Only a supervisor of the case's organisation can erase the person.
erasure-erased-on = This person's data was erased on { $when }.
erasure-erased-name = Person erased
staff-problem-legal-hold = cannot be accepted: the case is under a legal hold, which a supervisor must lift first.
staff-problem-supervisor-required = can only be given by a supervisor of the case's organisation.
staff-field-confirm = Confirmation
staff-field-hold = Legal hold
