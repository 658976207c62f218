# Time left before a deadline, counted when the page was made.
staff-time-left = reste { $left }
staff-time-overdue = en retard de { $late }
staff-time-zone = Les heures sont indiquées dans le fuseau { $zone }.
staff-org-time-zone = Fuseau horaire de l’organisation
