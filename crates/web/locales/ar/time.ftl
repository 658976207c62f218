# Time left before a deadline, counted when the page was made.
staff-time-left = متبقٍّ { $left }
staff-time-overdue = متأخر بمقدار { $late }
staff-time-zone = تُعرض الأوقات بتوقيت { $zone }.
staff-org-time-zone = المنطقة الزمنية للمنظمة
