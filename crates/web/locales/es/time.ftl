# Time left before a deadline, counted when the page was made.
staff-time-left = quedan { $left }
staff-time-overdue = con { $late } de retraso
staff-time-zone = Las horas se muestran en la zona { $zone }.
staff-org-time-zone = Zona horaria de la organización
