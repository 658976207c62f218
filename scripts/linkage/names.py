"""Name, place and location data for the synthetic migrant population.

Every entry is one name as a person carries it, written `Latin1|Latin2|...=Native1|Native2`:
the Latin spellings in which organisations actually record it (most common first) and, where the
region writes in another script, its native form(s). Lists are ordered by frequency; the generator
draws from them with a Zipf weight so that Mohammed, Nguyen or García are as common as they are in
a real caseload and rare names stay rare.

Cyrillic names are stored in Cyrillic only (Ukrainian and Russian forms of the same name are
alternatives, e.g. Олександр/Александр) and transliterated by `cyrillic_to_latin` with one of the
schemes found on real documents.
"""

# ---------------------------------------------------------------- Arabic (Levant, Iraq, Egypt,
# Sudan, Maghreb, Yemen, Libya) — Arabic script plus Latin transliteration variants
ARABIC_MALE = """
Mohammed|Muhammad|Mohamed|Mohammad|Mohamad|Muhamad|Mohamd|Mouhamed=محمد
Ahmed|Ahmad|Ahmet|Ahmd=أحمد|احمد
Ali|Aly=علي
Mahmoud|Mahmud|Mahmood|Mahmut=محمود
Omar|Umar|Omer|Oumar=عمر
Khaled|Khalid|Khaleed|Khalied=خالد
Hussein|Husain|Hussain|Hussien|Husayn|Hossein=حسين
Hassan|Hasan|Hasen=حسن
Youssef|Yousef|Yusuf|Yousif|Youssif|Yusef|Joseph=يوسف
Ibrahim|Ibraheem|Ebrahim|Ibrahem=إبراهيم|ابراهيم
Abdullah|Abdallah|Abdulla|Abdellah|Abdalla=عبدالله|عبد الله
Abdulrahman|Abdul Rahman|Abdelrahman|Abderrahmane|Abd al-Rahman|Abdulrahim=عبدالرحمن|عبد الرحمن
Mustafa|Mostafa|Moustafa|Mustapha=مصطفى
Karim|Kareem|Karem=كريم
Tariq|Tarek|Tareq|Tarik=طارق
Samir|Sameer|Semir=سمير
Walid|Waleed|Oualid=وليد
Jamal|Gamal|Djamel|Jamel=جمال
Rami|Ramy=رامي
Bilal|Belal=بلال
Hamza|Hamzah|Hamsa=حمزة
Anas|Anass=أنس
Osama|Usama|Oussama|Ousama=أسامة
Faisal|Faysal|Fayssal|Feisal=فيصل
Nabil|Nabeel=نبيل
Adel|Adil|Adeel=عادل
Said|Saeed|Saied|Sa'id=سعيد
Fadi|Fady=فادي
Majid|Majed|Maged|Magid=ماجد
Ayman|Aiman|Aymen=أيمن
Abdulaziz|Abdelaziz|Abd al-Aziz|Abdul Aziz=عبدالعزيز|عبد العزيز
Salah|Salaheddine|Salahaddin=صلاح
Zakaria|Zakariya|Zakariyya|Zacharia=زكريا
Marwan|Merouane=مروان
Yasser|Yasir|Yaser=ياسر
Ammar|Amar=عمار
Nizar|Nezar=نزار
Ghassan|Gassan=غسان
Qusay|Qusai|Kusai=قصي
Mazen|Mazin=مازن
"""

ARABIC_FEMALE = """
Fatima|Fatema|Fatma|Fatimah|Fatuma=فاطمة
Aisha|Aicha|Ayesha|Aysha|Aischa=عائشة|عايشة
Maryam|Mariam|Meryem|Mariem=مريم
Zainab|Zaynab|Zeinab|Zineb=زينب
Nour|Noor|Nur|Nura=نور
Hala=هلا
Rania|Ranya=رانيا
Amal=أمل
Layla|Leila|Laila|Leyla|Leïla=ليلى
Huda|Houda|Hoda=هدى
Samira|Sameera|Semira=سميرة
Yasmin|Yasmine|Yasmeen|Jasmin=ياسمين
Salma|Selma=سلمى
Khadija|Khadidja|Khadeeja|Khadiga=خديجة
Rasha|Racha=رشا
Dalia|Dalya=داليا
Sara|Sarah=سارة
Asmaa|Asma|Esma=أسماء
Reem|Rim|Rym=ريم
Hanan|Hanane=حنان
Nada=ندى
Iman|Eman|Imane=إيمان
Manal=منال
Rana=رنا
Ghada|Rhada=غادة
Lina|Leena=لينا
Aya|Ayah=آية
Safaa|Safa|Safae=صفاء
Wafaa|Wafa=وفاء
Souad|Suad|Soad=سعاد
"""

ARABIC_FAMILY = """
Al-Hassan|Alhassan|El Hassan|Al Hassan|El-Hassan=الحسن
Al-Ahmad|Alahmad|Al Ahmad|El Ahmad=الأحمد|الاحمد
Al-Khatib|Alkhatib|El Khatib|El-Khatib|Khatib=الخطيب
Haddad|Hadad|Al-Haddad=حداد
Al-Masri|Almasri|El Masry|El-Masri|Masri=المصري
Abdullah|Abdallah|Abdalla=عبدالله
Ibrahim|Ibraheem|Ebrahim=إبراهيم|ابراهيم
Hussein|Husain|Hussain|Hussien=حسين
Saleh|Salih|Salah|Saleh=صالح
Mansour|Mansur|Mansoor|Mansor=منصور
Khalil|Khaleel|Kalil=خليل
Nasser|Nasir|Naser|Nassar=ناصر
Al-Shami|Alshami|Al Shami|Chami=الشامي
Darwish|Darwich|Dervish|Darweesh=درويش
Othman|Osman|Uthman|Outhman=عثمان
Qasim|Kassem|Kasem|Qassem|Kassim=قاسم
Al-Zoubi|Alzoubi|Al-Zubi|Zoubi|Al Zoubi=الزعبي
Hamdan|Hamdane=حمدان
Suleiman|Sulaiman|Soliman|Slimane|Sleiman=سليمان
Al-Obaidi|Alobaidi|Al-Ubaidi|Al Obaidi=العبيدي
Al-Jubouri|Aljuboori|Al-Jiburi|Al Jubouri=الجبوري
Al-Tamimi|Altamimi|Al Tamimi|Tamimi=التميمي
Abbas|Abas=عباس
Hamid|Hameed|Hamed=حميد
Ben Ali|Benali|Ben-Ali=بن علي
El Amrani|Amrani|Al-Amrani|Elamrani=العمراني
El Idrissi|Idrissi|Al-Idrisi|Elidrissi=الإدريسي
Cherif|Sharif|Chérif|Shareef=شريف
Elsheikh|El Sheikh|Al-Sheikh|Al Shaikh|Cheikh=الشيخ
Mahmoud|Mahmud|Mahmood=محمود
Yousef|Youssef|Yusuf|Yousif=يوسف
Al-Rashid|Alrashid|Al Rasheed|El Rachid=الرشيد
Al-Hussein|Alhussein|El Husseini|Al-Husseini=الحسيني
Abu Bakr|Abubakar|Aboubakr|Abubaker=أبو بكر
Al-Sayed|Elsayed|El Sayed|Al-Sayyid|Sayed=السيد
Kanaan|Kanan|Canaan=كنعان
Nassif|Nasif|Nassief=ناصيف
Jaber|Jabir|Djaber=جابر
Badawi|Bedawi|Badaoui=بدوي
Zaher|Zahir|Daher=ظاهر
Rahal|Rahhal=رحال
Saadi|Al-Saadi|Essaadi=السعدي
Hijazi|Hejazi|Higazi=حجازي
Bakri|Al-Bakri|Bakry=البكري
Haj Ali|Hajj Ali|Al-Haj Ali=حاج علي
"""

# Afghanistan (Dari/Pashto; Perso-Arabic script)
AFGHAN_MALE = """
Mohammad|Mohammed|Muhammad|Mohamad|Mohd=محمد
Ahmad|Ahmed|Ahmet=احمد
Abdul|Abdol|Abdel=عبدل
Ali|Aly=علی|علي
Hamid|Hameed=حمید
Rahim|Raheem|Rahem=رحیم
Karim|Kareem=کریم
Jawad|Javad|Djawad=جواد
Mustafa|Mostafa=مصطفی
Hussain|Hussein|Hossein|Husain=حسین
Reza|Riza|Rezza=رضا
Farid|Fareed=فرید
Wahid|Waheed|Vahid=وحید
Sayed|Said|Sayyid|Syed=سید
Gul|Gol|Ghul=گل
Naveed|Navid|Nawid=نوید
Zabihullah|Zabiullah|Zabi=ذبیح‌الله
Noorullah|Nurullah|Nourullah=نورالله
Samiullah|Sami Ullah|Samiulla=سمیع‌الله
Bilal|Belal=بلال
"""

AFGHAN_FEMALE = """
Fatima|Fatema|Fatemeh=فاطمه
Zahra|Zahraa|Sahra=زهرا
Maryam|Mariam=مریم
Zainab|Zeinab=زینب
Marzia|Marziyeh|Marziya=مرضیه
Shabnam|Schabnam=شبنم
Nargis|Narges|Nargiz=نرگس
Freshta|Fereshteh|Fereshta=فرشته
Parwana|Parvaneh|Parwane=پروانه
Roya|Roja|Royah=رویا
Sakina|Sakineh|Sakine=سکینه
Masooma|Masuma|Masoumeh=معصومه
"""

AFGHAN_FAMILY = """
Ahmadi|Ahmady|Ahmedi=احمدی
Mohammadi|Muhammadi|Mohamadi=محمدی
Hussaini|Hosseini|Husaini|Husseini=حسینی
Rahimi|Raheemi=رحیمی
Karimi|Kareemi=کریمی
Noori|Nuri|Nouri=نوری
Sultani|Soltani|Sultany=سلطانی
Haidari|Heidari|Haydari=حیدری
Rezaei|Rezai|Rezaie|Rezayi=رضایی
Jafari|Jaafari|Djafari=جعفری
Ahmadzai|Ahmadzay|Ahmedzai=احمدزی
Stanikzai|Stanekzai|Stanakzai=ستانکزی
Safi|Saafi=صافی
Wardak|Wardag=وردک
Popal|Popalzai=پوپل
Amiri|Ameeri|Emiri=امیری
Sharifi|Sharify=شریفی
Qaderi|Qadiri|Kaderi=قادری
"""

# ---------------------------------------------------------------- Ukrainian and Russian (Cyrillic;
# Latin forms come from `cyrillic_to_latin`). Alternatives after `/` are the other language's form
# of the same name, used by some organisations.
CYR_MALE = """
Олександр/Александр
Андрій/Андрей
Сергій/Сергей
Дмитро/Дмитрий
Володимир/Владимир
Микола/Николай
Іван/Иван
Юрій/Юрий
Олег
Віктор/Виктор
Михайло/Михаил
Василь/Василий
Павло/Павел
Богдан
Тарас
Євген/Евгений
Ігор/Игорь
Максим
Артем/Артём
Денис
Олексій/Алексей
Петро/Пётр
Роман
Григорій/Григорий
"""

CYR_FEMALE = """
Олена/Елена
Наталія/Наталья
Тетяна/Татьяна
Ірина/Ирина
Оксана
Світлана/Светлана
Юлія/Юлия
Катерина/Екатерина
Ганна/Анна
Марія/Мария
Ольга
Людмила
Галина
Анастасія/Анастасия
Вікторія/Виктория
Дарина/Дарья
Софія/София
Валентина
Надія/Надежда
Любов/Любовь
"""

# family names: (masculine, feminine) where they differ; Ukrainian -енко/-ук names do not change
CYR_FAMILY = """
Шевченко
Коваленко
Бондаренко
Ткаченко
Кравченко
Олійник/Олейник
Шевчук
Поліщук/Полищук
Бойко
Ткачук
Мельник
Коваль
Лисенко/Лысенко
Руденко
Савченко
Петренко
Мороз
Марченко
Кузьменко
Павленко
Іваненко/Иваненко
Гончаренко
Клименко
Романенко
Литвиненко
Іванов:Іванова/Иванов:Иванова
Смирнов:Смирнова
Кузнецов:Кузнецова
Попов:Попова
Петров:Петрова
Соколов:Соколова
Волков:Волкова
Новиков:Новикова
Федоров:Федорова/Фёдоров:Фёдорова
Морозов:Морозова
Ковальов:Ковальова/Ковалёв:Ковалёва
Зайцев:Зайцева
Гриценко
Яковенко
Захарченко
Симоненко
Кравчук
Щербак
Демченко
"""

# Transliteration schemes seen on documents of people from Ukraine and Russia.
_UA_NATIONAL = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "ё": "e",
    "ы": "y", "э": "e", "ъ": "",
}
_UA_NATIONAL_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_RU_PASSPORT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "yu", "я": "ya", "'": "", "ё": "yo",
    "ы": "y", "э": "e", "ъ": "",
}
_RU_PASSPORT_INITIAL = {"е": "ye"}
_SCHOLARLY = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "je", "ж": "ž",
    "з": "z", "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "c",
    "ч": "č", "ш": "š", "щ": "šč", "ь": "", "ю": "ju", "я": "ja", "'": "", "ё": "ë",
    "ы": "y", "э": "è", "ъ": "",
}
_GERMAN = {
    "а": "a", "б": "b", "в": "w", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "je", "ж": "sch",
    "з": "s", "и": "i", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "ss", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z",
    "ч": "tsch", "ш": "sch", "щ": "schtsch", "ь": "", "ю": "ju", "я": "ja", "'": "", "ё": "jo",
    "ы": "y", "э": "e", "ъ": "",
}
_FRENCH = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "j",
    "з": "z", "и": "i", "і": "i", "ї": "ii", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "ou", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "tch", "ш": "ch", "щ": "chtch", "ь": "", "ю": "iou", "я": "ia", "'": "", "ё": "io",
    "ы": "y", "э": "e", "ъ": "",
}

CYRILLIC_SCHEMES = [
    ("ua_national", _UA_NATIONAL, _UA_NATIONAL_INITIAL, 0.5),
    ("ru_passport", _RU_PASSPORT, _RU_PASSPORT_INITIAL, 0.28),
    ("scholarly", _SCHOLARLY, {}, 0.07),
    ("german", _GERMAN, {}, 0.09),
    ("french", _FRENCH, {}, 0.06),
]


def cyrillic_to_latin(text, table, initial):
    out = []
    start = True
    for ch in text:
        low = ch.lower()
        if low in table:
            piece = initial.get(low, table[low]) if start else table[low]
            if ch != low and piece:
                piece = piece[0].upper() + piece[1:]
            out.append(piece)
            start = False
        else:
            out.append(ch)
            start = not ch.isalpha()
    s = "".join(out)
    # the German scheme writes a single s between vowels and at the start
    if table is _GERMAN:
        s = s.replace("Ss", "S")
    return s


# ---------------------------------------------------------------- South Asia
# Nepal and India: Devanagari plus Latin variants
DEVANAGARI_MALE = """
Ram=राम
Krishna|Krisna|Krishn=कृष्ण
Bishnu|Vishnu|Bisnu=विष्णु
Rajesh|Rajes=राजेश
Santosh|Santos|Santosha=सन्तोष|संतोष
Deepak|Dipak|Dipaka=दीपक
Prakash|Prakas=प्रकाश
Bikash|Vikash|Bikas|Vikas=विकास
Binod|Vinod=विनोद
Manoj=मनोज
Sunil=सुनील
Hari=हरि
Gopal=गोपाल
Ashok|Asok=अशोक
Sanjay|Sanjai|Sanjaya=संजय
Suresh|Sures=सुरेश
Ramesh|Rames=रमेश
Dinesh=दिनेश
Rohit=रोहित
Amit=अमित
Arjun|Arjuna=अर्जुन
Bhim|Bheem=भीम
Tek Bahadur|Tek Bdr|Tekbahadur=टेक बहादुर
Ram Bahadur|Ram Bdr|Rambahadur=राम बहादुर
"""

DEVANAGARI_FEMALE = """
Sita|Seeta=सीता
Sunita=सुनीता
Anita=अनिता
Gita|Geeta=गीता
Laxmi|Lakshmi|Luxmi|Laxmee=लक्ष्मी
Pooja|Puja=पूजा
Sarita=सरिता
Mina|Meena=मीना
Kamala|Kamla=कमला
Radha=राधा
Sabina=सबिना
Sangita|Sangeeta=संगीता
Parbati|Parvati=पार्वती
Sushila|Susila|Sushilaa=सुशीला
Kabita|Kavita=कविता
Priya|Priyaa=प्रिया
Asha|Aasha=आशा
Manju=मञ्जु|मंजु
"""

DEVANAGARI_FAMILY = """
Tamang=तामाङ
Gurung=गुरुङ
Thapa=थापा
Magar=मगर
Rai=राई
Shrestha|Shresta|Srestha=श्रेष्ठ
Sharma=शर्मा
Yadav|Yadaw=यादव
Singh|Sing=सिंह
Kumar=कुमार
Patel=पटेल
Chaudhary|Choudhary|Chaudhari|Chowdhury=चौधरी
Khadka=खड्का
Bhandari=भण्डारी|भंडारी
Adhikari=अधिकारी
Poudel|Paudel|Poudyal=पौडेल
Karki=कार्की
Limbu=लिम्बु
Sherpa=शेर्पा
Bhattarai=भट्टराई
Basnet|Basnyat=बस्नेत
Shah|Sah=शाह
Ghimire=घिमिरे
Mishra|Misra=मिश्र
"""

# Bangladesh and Pakistan: Latin variants only (with the common abbreviation Md.)
BDPK_MALE = """
Mohammad|Md|Md.|Muhammad|Mohammed|Mohd
Abdul|Abdool|Abdal
Rahim|Raheem
Karim|Kareem
Hasan|Hassan
Hossain|Hussain|Hosen|Hossen|Hussein
Rafiq|Rafique|Rafik
Shahid|Shaheed
Imran|Emran
Faruk|Farooq|Faruque|Farouk
Asif|Aasif
Kamal|Kamaal
Jahid|Zahid|Jahed
Alamgir|Alamgeer
Nasir|Nasser|Naser
Tariq|Tarik|Tareq
Rubel|Ruble
Sohel|Sohail|Suhail
"""

BDPK_FEMALE = """
Fatema|Fatima|Fatama
Nasrin|Nasreen|Nasrine
Shirin|Shireen|Sirin
Rehana|Rahana|Rihana
Taslima|Tasleema
Shamima|Shameema
Farzana|Farjana
Salma|Selma
Ayesha|Aisha|Aysha
Rabia|Rabeya|Rabiya
"""

BDPK_FAMILY = """
Rahman|Rehman|Rahaman
Hossain|Hussain|Hosen|Hossen
Islam|Islaam
Akter|Akhter|Aktar|Akhtar
Begum|Begom|Bagum
Khan
Ali|Aly
Ahmed|Ahmad
Uddin|Udin|Uddeen
Miah|Mia|Mea
Chowdhury|Choudhury|Chaudhry|Chaudhary
Sheikh|Shaikh|Seikh
Malik|Malick
Butt|But
Qureshi|Kureshi|Qureshy
Alam|Aalam
Sarkar|Sircar
Mondal|Mandal|Mondol
"""

# ---------------------------------------------------------------- West Africa (Latin; French and
# English spellings of the same names)
WAFR_MALE = """
Mamadou|Mamadu|Mahamadou|Mohamadou
Ousmane|Usman|Osman|Ousman
Ibrahima|Ibrahim|Ebrima|Brahima
Moussa|Musa|Mousa
Abdoulaye|Abdullahi|Abdulai|Abdoulai
Amadou|Ahmadu|Hamadou
Souleymane|Sulaiman|Suleiman|Souleimane
Boubacar|Abubakar|Aboubacar|Abubakarr
Lamine|Lamin|Alamin
Seydou|Saidu|Seidou
Chinedu|Chinedou|Chinadu
Oluwaseun|Oluseun|Seun
Emeka|Chukwuemeka
Adebayo|Adebayor|Debayo
Kwame|Kwami
Kofi|Koffi
Yaw|Yao
Kwabena|Kwabina
Ebrima|Ibrahima|Ebrahima
Alieu|Aliou|Aliu
Samba|Sambou
Modou|Modu|Moudou
"""

WAFR_FEMALE = """
Aminata|Aminatou|Aminatta
Fatoumata|Fatimata|Fatumata|Fatmata
Mariama|Mariam|Mariama
Awa|Awa
Kadiatou|Khadijatou|Kadiatu|Khadija
Aissatou|Aisatu|Aichatou|Isatou
Binta|Bintou
Hawa|Hawaou
Ngozi|Ngozy
Chioma|Chiamaka
Blessing|Blessinng
Adwoa|Adjoa
Ama|Amma
Akosua|Akossua
Fanta|Fantah
Ramatoulaye|Ramatu|Ramata
"""

WAFR_FAMILY = """
Diallo|Jallow|Djalo|Jalloh|Dialo
Traoré|Traore|Trawally|Traorey
Koné|Kone|Konneh
Camara|Kamara|Kamarah
Touré|Toure|Ture|Turay
Keita|Keïta|Keyta
Sow|Sowe
Bah|Ba|Barry
Barry|Bari
Cissé|Cisse|Sisay|Cissay
Sylla|Silla
Coulibaly|Kulibali|Koulibaly
Ndiaye|N'Diaye|Njie
Fofana|Fofanah
Sesay|Sessay|Sise
Okafor|Okaforr
Adeyemi|Adeyemy
Okonkwo|Okonkwor
Mensah|Mensa
Owusu|Owousu
Boateng|Boatemg
Asante|Ashanti|Asantey
Danso|Dansoh
Conteh|Conte|Kanteh
"""

# ---------------------------------------------------------------- Latin America (two family names;
# accents; compound given names)
LATAM_MALE = """
José|Jose
Juan|Juan
Luis|Luís
Carlos|Carlo
Jesús|Jesus
Miguel|Miguell
José Luis|Jose Luis|José-Luis
Juan Carlos|Juan-Carlos|Juancarlos
Jorge|George
Pedro|Pedro
Francisco|Fransisco
Antonio|Antônio
Alejandro|Alexandro|Alehandro
Manuel|Manual
Fernando|Fernado
Javier|Xavier|Javer
Ángel|Angel
Óscar|Oscar
Wilmer|Wilber|Vilmer
Brayan|Bryan|Braian
Kevin|Kevyn
Yeferson|Jefferson|Jeferson
Edwin|Edwyn
Santiago|Santyago
"""

LATAM_FEMALE = """
María|Maria
Guadalupe|Guadelupe
Ana|Anna
María José|Maria Jose|Mariajose
Rosa|Roza
Carmen|Carmén
Yesenia|Jesenia|Yessenia
Daniela|Danyela
Gabriela|Grabiela
Ana María|Ana Maria|Anamaria
Luz|Luz
Sofía|Sofia|Sophia
Valentina|Valentyna
Marisol|Mari Sol
Yuliana|Juliana|Yulyana
Karla|Carla
Andrea|Andréa
Leidy|Lady|Leydi
Dayana|Diana|Dayanna
Génesis|Genesis|Jenesis
"""

LATAM_FAMILY = """
García|Garcia
Rodríguez|Rodriguez|Rodrigues
Hernández|Hernandez|Hernandes
López|Lopez|Lopes
Martínez|Martinez|Martines
González|Gonzalez|Gonzales
Pérez|Perez|Peres
Sánchez|Sanchez|Sanches
Ramírez|Ramirez|Ramires
Flores|Florez
Gómez|Gomez|Gomes
Díaz|Diaz|Dias
Cruz|Crus
Morales|Moralez
Reyes|Reies
Gutiérrez|Gutierrez|Gutierres
Ortiz|Ortis
Chávez|Chavez|Chaves
Castillo|Castiyo
Vásquez|Vasquez|Vazquez|Vázquez
Jiménez|Jimenez|Gimenez|Ximénez
Rojas|Roxas
Mendoza|Mendosa
Romero|Romeo
Herrera|Herera
Aguilar|Aguiar
Medina|Medinah
Castro|Castrp
Vargas|Bargas
Contreras|Contrera
de la Cruz|De La Cruz|Delacruz|De la Cruz
Quispe|Quispé|Kispe
Mamani|Mamany
Guzmán|Guzman
Salazar|Salasar
Velásquez|Velasquez|Velazquez
"""

# ---------------------------------------------------------------- South-East Asia
# Philippines: two given names, a middle name (mother's family name) and a family name
PH_MALE = """
John Paul|Jhon Paul|Johnpaul
Mark Anthony|Marc Anthony|Markanthony
Jose|José
Juan|Juan
Ramon|Raymon
Rodel|Rodell
Jerome|Jerom
Christian|Cristian
Michael|Micheal|Mikael
Joel|Joell
Roberto|Robert
Reynaldo|Reinaldo|Renaldo
"""

PH_FEMALE = """
Maria Cristina|Ma. Cristina|Maria Christina
Mary Grace|Marygrace|Mary-Grace
Maricel|Marisel|Maricell
Rosalie|Rosaly|Rosali
Jocelyn|Joselyn|Jocelin
Lovely|Lovely
Marilou|Mary Lou|Marylou
Analyn|Ana Lyn|Annalyn
Rowena|Roweena
Jennifer|Jenifer|Jenniffer
Cristina|Christina|Kristina
Rhea|Rea|Ria
"""

PH_FAMILY = """
Santos|Santoz
Reyes|Reyez
Cruz|Crus
Bautista|Batista
Ocampo|Ocampu
Garcia|García
Mendoza|Mendosa
Dela Cruz|De la Cruz|Delacruz|Dela-Cruz
Villanueva|Villa Nueva|Vilanueva
Ramos|Ramoz
Aquino|Akino
Castillo|Castilo
Flores|Florez
Gonzales|Gonzalez
Mercado|Merkado
Tolentino|Tolentinno
Soriano|Suriano
Manalo|Manalu
"""

# Vietnam: family name first natively; diacritics usually dropped abroad
VN_FAMILY = """
Nguyễn|Nguyen|Ngyuen|Nguyn|Nguen
Trần|Tran|Tranh
Lê|Le
Phạm|Pham|Phamm
Hoàng|Hoang|Huynh
Phan|Phann
Vũ|Vu|Vo
Đặng|Dang|Dhang
Bùi|Bui
Đỗ|Do|Doh
"""

VN_MIDDLE_MALE = "Văn|Van"
VN_MIDDLE_FEMALE = "Thị|Thi"

VN_GIVEN_MALE = """
Minh|Min
Hùng|Hung
Dũng|Dung
Tuấn|Tuan
Quang|Quan
Hải|Hai
Long|Lonh
Nam|Nahm
Thành|Thanh
Phúc|Phuc
"""

VN_GIVEN_FEMALE = """
Lan|Lann
Hương|Huong
Mai|May
Linh|Lin
Trang|Thrang
Ngọc|Ngoc
Thảo|Thao
Hoa|Hoah
Hà|Ha
Thu|Thuy
"""

# Indonesia: often a single name (no family name at all)
ID_MALE = """
Budi|Boedi
Agus|Agoes
Joko|Djoko
Slamet|Selamet
Bambang|Bambng
Wahyu|Wahyoe
Eko|Ecko
Muhammad|Muhamad|Mochammad|Moh.
"""

ID_FEMALE = """
Siti Aminah|Siti Aminnah|Sitti Aminah
Sri Wahyuni|Sri Wahyoeni|Sriwahyuni
Dewi|Dewy
Nur Aini|Nuraini|Nur Aeni
Siti Nurhaliza|Siti Nurhalizah
Rina|Reena
Yuliana|Juliana|Yuliani
Kartini|Kartiny
Sumiati|Soemiati|Sumiyati
Tuti|Toeti
"""

ID_FAMILY = """
Saputra|Saputro|Syahputra
Hidayat|Hidajat
Wijaya|Widjaja|Wijaja
Kusuma|Kusumah
Setiawan|Setiyawan
Pratama|Pratamma
Siregar|Siregarr
Nasution|Nasotion
"""

# Myanmar: no family name; a person's name is two or three syllables
MM_SYLLABLES_MALE = "Aung|Kyaw|Zaw|Htun|Tun|Min|Myint|Thein|Win|Naing|Soe|Moe|Hlaing|Oo|Ko|Thant|Zin|Lin|Htet|Paing"
MM_SYLLABLES_FEMALE = "Aye|Khin|Mya|Su|Thida|Nwe|Hnin|Thandar|Ei|Phyu|May|Yadanar|Zar|Wai|Cho|Myat|Thin|Lwin|San|Yu"
MM_VARIANTS = {"Htun": "Tun|Htoon", "Kyaw": "Kyaw|Chaw", "Myint": "Myint|Mying", "Hlaing": "Hlaing|Laing",
               "Soe": "Soe|So", "Moe": "Moe|Mo", "Oo": "Oo|U", "Thein": "Thein|Thane", "Phyu": "Phyu|Pyu",
               "Nwe": "Nwe|Nway", "Aye": "Aye|Aye", "Khin": "Khin|Kin", "Htet": "Htet|Htat"}

# Thailand and Cambodia
TH_MALE = """
Somchai|Somchay|Somchaai=สมชาย
Somsak|Somsack=สมศักดิ์
Prasert|Prasoet|Prasert=ประเสริฐ
Sombat|Sompat=สมบัติ
Anan|Ananh=อนันต์
Sokha|Sokhar
Vannak|Vanak
Chanthy|Chanty
"""

TH_FEMALE = """
Malee|Mali|Malie=มาลี
Somying|Somyng=สมหญิง
Nok|Noke=นก
Pranee|Pranie|Prani=ปราณี
Sreymom|Srey Mom
Chenda|Chendah
Sophea|Sopheak
Bopha|Bophar
"""

TH_FAMILY = """
Srisuk|Srisook=ศรีสุข
Wongsakul|Wongsakun=วงศ์สกุล
Saetang|Sae-Tang|Sae Tang=แซ่ตั้ง
Chaiyaphum|Chaiyapum=ชัยภูมิ
Boonmee|Bunmi|Boonmi=บุญมี
Sok|Sokh
Chea|Cheah
Kim|Keam
Heng|Hengh
Chan|Chann
"""

# ---------------------------------------------------------------- Horn of Africa
# Eritrea and Ethiopia: Ge'ez script; the family name is the father's given name
HORN_GEEZ_MALE = """
Yohannes|Yohanes|Johannes|Yohanis=ዮሐንስ|ዮሃንስ
Tesfaye|Tesfay|Tesfai|Tesfa=ተስፋዬ|ተስፋይ
Berhane|Berhan|Birhane|Berihun=ብርሃነ
Mebrahtu|Mebrahtom|Mebrahtou=መብራህቱ
Haile|Hailu|Hayle=ሃይለ|ሀይሉ
Tekle|Teklay|Teklai=ተክለ|ተኽላይ
Ghebremedhin|Gebremedhin|Ghebremedin|Gebre Medhin=ገብረመድህን
Ghebreyesus|Gebreyesus|Gebre-Yesus|Ghebre Yesus=ገብረየሱስ
Abraham|Abrham|Abreham=አብርሃም
Tsegay|Tsegai|Tsegaye|Tsega=ፀጋይ|ጸጋዬ
Kidane|Kidan|Kidanemariam=ኪዳነ
Weldu|Woldu|Welde|Wolde=ወልዱ|ወልደ
Michael|Mikael|Mikiel|Michele=ሚካኤል
Daniel|Danel|Dawit=ዳንኤል
Samuel|Samiel|Semere=ሳሙኤል
Filmon|Filimon|Philemon=ፊልሞን
Aron|Aaron|Haron=ኣሮን
Merhawi|Merhawie|Mehari=መርሃዊ
Amanuel|Emmanuel|Amanual=ኣማኑኤል
Habtom|Habtum|Habtu=ሃብቶም
Isaias|Isayas|Esayas=ኢሳይያስ
Goitom|Goytom|Gaitom=ጎይቶም
"""

HORN_GEEZ_FEMALE = """
Selam|Selamawit|Salam=ሰላም
Meron|Meeron=ሜሮን
Helen|Hellen|Elen=ሄለን
Senait|Senayt|Sennait=ሰናይት
Freweyni|Freweini|Frewoini=ፍረወይኒ
Mulu|Mulue=ሙሉ
Lidia|Lydia|Lidya=ሊድያ
Rahel|Rachel|Rahwa=ራሄል
Saba|Sabah=ሳባ
Yordanos|Yordanus|Jordanos=ዮርዳኖስ
Hiwet|Hewet|Hiwot=ሕይወት
Almaz|Almas=አልማዝ
"""

# Somalia: Somali Latin orthography (x = ḥ, c = ʿ) next to English-style spellings
SOMALI_MALE = """
Mohamed|Mohammed|Maxamed|Mahamed|Mohamud
Abdi|Cabdi|Abdie
Hassan|Xasan|Hasan|Xassan
Ahmed|Axmed|Ahmad
Ali|Cali|Aly
Abdirahman|Cabdiraxmaan|Abdurahman|Abdirahmaan
Abdullahi|Cabdullaahi|Abdillahi|Abdulahi
Omar|Cumar|Umar
Yusuf|Yuusuf|Yousuf
Ismail|Ismaaciil|Ismacil|Ismael
Farah|Faarax|Farax
Warsame|Warsaame|Warsama
Jama|Jaamac|Jamac
Osman|Cismaan|Othman|Cusmaan
Hussein|Xuseen|Hussen|Husein
Nur|Nuur|Noor
Aden|Aadan|Adan
Mohamud|Maxamuud|Mahmoud|Mahamud
Ibrahim|Ibraahim|Ibrahin
Abdulkadir|Cabdulqaadir|Abdikadir|Abdiqadir
Said|Siciid|Saeed
Bashir|Bashiir|Beshir
"""

SOMALI_FEMALE = """
Hodan|Hodon
Fadumo|Faadumo|Fatuma|Fadima
Hawa|Xaawo|Hawo
Ayan|Ayaan|Ayaana
Nasra|Nasro|Nasrah
Amina|Aamina|Amiina
Sahra|Sahro|Zahra
Khadija|Khadiijo|Kadija|Khadra
Halima|Xaliimo|Halimo
Safiya|Safiyo|Safia
Ubah|Ubax|Ubaah
Deeqa|Deka|Deqa
"""

# ---------------------------------------------------------------- places of birth by country
PLACES = {
    "SY": "Aleppo|Halab=حلب;Damascus|Dimashq|Damas=دمشق;Homs|Hims=حمص;Idlib|Edlib=إدلب;"
          "Deir ez-Zor|Deir Ezzor|Dayr az Zawr=دير الزور;Raqqa|Al-Raqqah|Rakka=الرقة;"
          "Daraa|Deraa|Dara'a=درعا;Latakia|Lattakia=اللاذقية;Hama|Hamah=حماة",
    "IQ": "Baghdad|Bagdad=بغداد;Mosul|Mossul|Al-Mawsil=الموصل;Basra|Basrah=البصرة;"
          "Erbil|Arbil|Hawler=أربيل;Kirkuk|Karkuk=كركوك;Sinjar|Shingal=سنجار",
    "SD": "Khartoum|Khartum=الخرطوم;Omdurman|Umm Durman=أم درمان;Nyala|Niyala=نيالا;"
          "El Fasher|Al-Fashir=الفاشر;Port Sudan|Bur Sudan=بورتسودان;Geneina|El Geneina=الجنينة",
    "EG": "Cairo|Kairo|Al-Qahira=القاهرة;Alexandria|Alexandrie|Iskandariya=الإسكندرية;"
          "Asyut|Assiut=أسيوط;Mansoura|El Mansoura=المنصورة",
    "MA": "Casablanca|Dar el Beida=الدار البيضاء;Fes|Fez|Fès=فاس;Tangier|Tanger=طنجة;"
          "Oujda|Ujda=وجدة;Beni Mellal|Béni Mellal=بني ملال",
    "YE": "Sanaa|Sana'a|Sana=صنعاء;Aden|Adan=عدن;Taiz|Ta'izz=تعز",
    "LY": "Tripoli|Tarabulus=طرابلس;Benghazi|Bengasi=بنغازي;Misrata|Misurata=مصراتة",
    "PS": "Gaza|Ghazza=غزة;Hebron|Al-Khalil=الخليل;Nablus|Nablous=نابلس",
    "AF": "Kabul|Kaboul=کابل;Herat|Harat=هرات;Kandahar|Qandahar=قندهار;Mazar-i-Sharif|Mazar=مزار شریف;"
          "Jalalabad|Djalalabad=جلال‌آباد;Ghazni|Ghazny=غزنی",
    "UA": "Kyiv|Kiev|Kyjiw=Київ|Киев;Kharkiv|Kharkov|Charkiw=Харків|Харьков;Odesa|Odessa=Одеса|Одесса;"
          "Mariupol|Mariupol'=Маріуполь;Dnipro|Dnepr|Dnipropetrovsk=Дніпро;Lviv|Lvov|Lwiw=Львів|Львов;"
          "Zaporizhzhia|Zaporozhye|Saporischschja=Запоріжжя|Запорожье",
    "RU": "Moscow|Moskva|Moskau=Москва;Saint Petersburg|Sankt-Peterburg|St Petersburg=Санкт-Петербург;"
          "Kazan|Kasan=Казань;Rostov-on-Don|Rostov-na-Donu=Ростов-на-Дону",
    "NP": "Kathmandu|Kathmandou=काठमाडौं;Pokhara=पोखरा;Biratnagar=विराटनगर;Nuwakot=नुवाकोट;"
          "Sindhupalchok|Sindhupalchowk=सिन्धुपाल्चोक;Dhanusha|Dhanusa=धनुषा",
    "IN": "Kolkata|Calcutta=कोलकाता;Delhi|New Delhi=दिल्ली;Mumbai|Bombay=मुंबई;Patna=पटना;Lucknow|Lakhnau=लखनऊ",
    "BD": "Dhaka|Dacca;Sylhet|Silhet;Chittagong|Chattogram;Comilla|Cumilla;Noakhali|Noakhaly",
    "PK": "Lahore|Lahor;Karachi|Karachee;Peshawar|Peshawer;Gujrat|Gujarat;Sialkot|Sialkote",
    "NG": "Lagos;Benin City|Benin;Kano;Enugu;Ibadan|Ibadam;Edo",
    "GH": "Accra|Akra;Kumasi|Kumase;Tamale|Tamalé",
    "SN": "Dakar;Touba|Tuba;Thiès|Thies;Kolda",
    "GN": "Conakry|Konakry;Kankan|Kankane;Labé|Labe",
    "ML": "Bamako;Kayes;Ségou|Segou;Sikasso",
    "GM": "Banjul;Serekunda|Serrekunda;Brikama",
    "CI": "Abidjan|Abijan;Bouaké|Bouake;Daloa",
    "SL": "Freetown|Free Town;Bo;Kenema",
    "MX": "Ciudad de México|Mexico City|CDMX;Guadalajara;Oaxaca;Chiapas;Tapachula",
    "GT": "Guatemala City|Ciudad de Guatemala;Quetzaltenango|Xela;Huehuetenango",
    "HN": "Tegucigalpa;San Pedro Sula|San Pedro;Choluteca",
    "SV": "San Salvador;Santa Ana;San Miguel",
    "VE": "Caracas;Maracaibo;Valencia;Barquisimeto",
    "CO": "Bogotá|Bogota;Medellín|Medellin;Cali;Cúcuta|Cucuta",
    "HT": "Port-au-Prince|Port au Prince;Cap-Haïtien|Cap Haitien;Gonaïves|Gonaives",
    "PE": "Lima;Arequipa;Cusco|Cuzco",
    "PH": "Manila;Quezon City;Cebu|Cebu City;Davao|Davao City;Iloilo",
    "VN": "Hà Nội|Ha Noi|Hanoi;Hồ Chí Minh|Ho Chi Minh City|Saigon;Nghệ An|Nghe An;Hà Tĩnh|Ha Tinh",
    "ID": "Jakarta|Djakarta;Surabaya|Soerabaja;Lombok;Indramayu|Indramaju",
    "MM": "Yangon|Rangoon;Mandalay;Mawlamyine|Moulmein;Myawaddy",
    "TH": "Bangkok|Krung Thep=กรุงเทพ;Chiang Mai|Chiangmai=เชียงใหม่;Khon Kaen=ขอนแก่น",
    "KH": "Phnom Penh|Phnompenh;Battambang|Batdambang;Siem Reap|Siemreap",
    "ER": "Asmara|Asmera=ኣስመራ;Keren|Kerén=ከረን;Mendefera|Mendefra=መንደፈራ;Massawa|Mitsiwa=ምጽዋዕ",
    "ET": "Addis Ababa|Addis Abeba=አዲስ አበባ;Mekelle|Mekele=መቐለ;Gondar|Gonder=ጎንደር;Dessie|Dese=ደሴ",
    "SO": "Mogadishu|Muqdisho|Mogadiscio;Hargeisa|Hargeysa;Kismayo|Kismaayo;Baidoa|Baydhabo;Beledweyne|Baladweyne",
}

# Where the persons are now: city, base postcode (a five-digit or local code) and the regions
# whose migrants are most often met there.
LOCATIONS = [
    ("Berlin", "10", ["arabic", "afghan", "cyrillic", "horn_geez", "wafr", "vn"]),
    ("Hamburg", "20", ["afghan", "arabic", "horn_geez", "cyrillic"]),
    ("Munich", "80", ["cyrillic", "arabic", "wafr"]),
    ("Athens", "104", ["arabic", "afghan", "wafr", "bdpk"]),
    ("Thessaloniki", "546", ["arabic", "afghan"]),
    ("Rome", "001", ["wafr", "bdpk", "horn_geez", "somali", "latam"]),
    ("Milan", "201", ["wafr", "latam", "arabic", "ph"]),
    ("Palermo", "901", ["wafr", "bdpk", "arabic"]),
    ("Madrid", "280", ["latam", "wafr", "arabic"]),
    ("Barcelona", "080", ["latam", "bdpk", "arabic"]),
    ("Paris", "750", ["wafr", "arabic", "afghan", "cyrillic"]),
    ("Calais", "621", ["afghan", "horn_geez", "somali", "arabic", "vn"]),
    ("Warsaw", "00", ["cyrillic", "vn"]),
    ("Krakow", "30", ["cyrillic"]),
    ("Vienna", "10", ["cyrillic", "arabic", "afghan"]),
    ("Amman", "111", ["arabic"]),
    ("Beirut", "11", ["arabic", "wafr", "horn_geez", "bdpk"]),
    ("Istanbul", "344", ["arabic", "afghan", "wafr", "cyrillic"]),
    ("Doha", "", ["devanagari", "bdpk", "ph", "wafr"]),
    ("Dubai", "", ["devanagari", "bdpk", "ph", "cyrillic"]),
    ("Riyadh", "11", ["bdpk", "devanagari", "ph", "id", "horn_geez"]),
    ("Kuala Lumpur", "50", ["devanagari", "bdpk", "id", "mm"]),
    ("Bangkok", "10", ["mm", "th"]),
    ("Mae Sot", "631", ["mm"]),
    ("Tapachula", "307", ["latam", "wafr"]),
    ("Tijuana", "220", ["latam"]),
    ("Ciudad Juárez", "323", ["latam"]),
    ("Cúcuta", "540", ["latam"]),
    ("Nairobi", "001", ["somali", "horn_geez"]),
    ("Khartoum", "111", ["horn_geez"]),
    ("Tripoli", "", ["wafr", "horn_geez", "arabic", "somali", "bdpk"]),
    ("Lampedusa", "920", ["wafr", "horn_geez", "arabic", "bdpk"]),
    ("Hong Kong", "", ["ph", "id"]),
    ("Singapore", "", ["ph", "devanagari", "bdpk", "mm"]),
]

# Keyboard neighbours for typing errors (QWERTY)
KEYBOARD = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok",
    "o": "ipl", "p": "o", "a": "qsz", "s": "adwx", "d": "sfec", "f": "dgrv", "g": "fhtb",
    "h": "gjyn", "j": "hkum", "k": "jli", "l": "ko", "z": "ax", "x": "zcs", "c": "xvd",
    "v": "cbf", "b": "vng", "n": "bmh", "m": "nj",
}
