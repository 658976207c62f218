# The public rights pages: by country, stage of the migration cycle and language.
rights-title = Know your rights
rights-intro = Plain-language information on your rights, wherever you are in your journey, and where to turn for help. Choose a country and a stage.
rights-country = Country
rights-stage = Stage of your journey
rights-show = Show
rights-stage-pre_departure = Before you leave
rights-stage-transit = On the way
rights-stage-destination = In the country where you live or work
rights-stage-return = Coming home
rights-not-found = There is no information here for this choice. Choose a country and a stage from the lists.
rights-helplines = Helplines and emergency numbers
rights-emergency = Emergency
rights-services-link = Find a service that can help you
rights-report-link = Report a problem, safely and without giving your name
rights-fallback = This page is not yet written in { $language }. Here it is in English.
rights-reviewed = Last reviewed: { $date }
rights-where = Information is available for
