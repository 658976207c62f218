# Time left before a deadline, counted when the page was made.
staff-time-left = { $left } left
staff-time-overdue = overdue by { $late }
staff-time-zone = Times are shown in { $zone }.
staff-org-time-zone = Time zone of the organisation
