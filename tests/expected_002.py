"""Figures of document 002, transcribed from the text for the tests (not by ffdata).

Table 1: (line, rank, name as printed, official, unofficial); ``None``
where the document prints ``-`` or nothing.
"""

DOC = "002_882cd01f73eb6394.txt"

ISO3 = {
    "Tunisia": "TUN", "Saudi Arabia": "SAU", "Russia": "RUS", "Turkey": "TUR", "Jordan": "JOR",
    "France": "FRA", "Morocco": "MAR", "Lebanon": "LBN", "Germany": "DEU", "U.K.": "GBR",
    "Indonesia": "IDN", "Egypt": "EGY", "Belgium": "BEL", "Tajikistan": "TJK", "Bosnia": "BIH",
    "Austria": "AUT", "China": "CHN", "Kazakhstan": "KAZ", "Sweden": "SWE", "Kosovo": "XKX",
    "Dutch": "NLD", "Maldives": "MDV", "Algeria": "DZA", "US": "USA", "Macedonia": "MKD",
    "Spain": "ESP", "Canada": "CAN", "Denmark": "DNK", "Australia": "AUS", "Azerbaijan": "AZE",
    "Malaysia": "MYS", "Philippines": "PHL", "Albania": "ALB", "Italy": "ITA", "Norway": "NOR",
    "Finland": "FIN", "Pakistan": "PAK", "Sudan": "SDN", "Switzerland": "CHE", "Israel": "ISR",
    "Ireland": "IRL", "India": "IND", "New Zealand": "NZL", "Brazil": "BRA",
    "Madagascar": "MDG", "Singapore": "SGP", "Cambodia": "KHM", "Moldova": "MDA",
    "Romania": "ROU", "South Africa": "ZAF", "Libya": "LBY", "Kyrgyzstan": "KGZ",
    "Turkmenistan": "TKM", "Kuwait": "KWT", "Somalia": "SOM", "Serbia": "SRB",
    "Afghanistan": "AFG", "Georgia": "GEO", "Trinidad and Tobago": "TTO", "Montenegro": "MNE",
    "Argentina": "ARG", "UAE": "ARE", "Portugal": "PRT", "Qatar": "QAT", "Japan": "JPN",
    "Uzbekistan": "UZB", "the UK": "GBR",
}

# fmt: off
TABLE_1 = [
    (112, 1, "Tunisia", 6000, 7000),
    (113, 2, "Saudi Arabia", 2500, None),
    (114, 3, "Russia", 2400, None),
    (115, 4, "Turkey", 2100, None),
    (116, 5, "Jordan", 2000, 2500),
    (117, 6, "France", 1700, 2500),
    (118, 7, "Morocco", 1200, 1500),
    (119, 8, "Lebanon", 900, None),
    (120, 9, "Germany", 760, None),
    (121, 10, "U.K.", 760, None),
    (122, 11, "Indonesia", 700, 500),
    (123, 12, "Egypt", 600, 1000),
    (124, 13, "Belgium", 470, 470),
    (125, 14, "Tajikistan", 386, None),
    (126, 15, "Bosnia", 330, 217),
    (127, 16, "Austria", 300, 233),
    (128, 17, "China", 300, None),
    (129, 18, "Kazakhstan", 300, None),
    (130, 19, "Sweden", 300, 300),
    (131, 20, "Kosovo", 232, None),
    (132, 21, "Dutch", 220, 210),
    (133, 22, "Maldives", 200, 60),
    (134, 23, "Algeria", 170, 225),
    (135, 24, "US", 150, 250),
    (136, 25, "Macedonia", 146, 100),
    (112, 26, "Spain", 133, 250),
    (113, 27, "Canada", 130, None),
    (114, 28, "Denmark", 125, 125),
    (115, 29, "Australia", 120, 255),
    (116, 30, "Azerbaijan", 104, 216),
    (117, 31, "Malaysia", 100, None),
    (118, 32, "Philippines", 100, None),
    (119, 33, "Albania", 90, 150),
    (120, 34, "Italy", 87, None),
    (121, 35, "Norway", 81, 60),
    (122, 36, "Finland", 70, 85),
    (123, 37, "Pakistan", 70, 330),
    (124, 38, "Sudan", 70, 100),
    (125, 39, "Switzerland", 57, None),
    (126, 40, "Israel", 50, None),
    (127, 41, "Ireland", 30, 30),
    (128, 42, "India", 23, 45),
    (129, 43, "New Zealand", 7, 6),
    (130, 44, "Brazil", 3, None),
    (131, 45, "Madagascar", 3, None),
    (132, 46, "Singapore", 2, None),
    (133, 47, "Cambodia", 1, None),
    (134, 48, "Moldova", 1, None),
    (135, 49, "Romania", 1, None),
    (136, 50, "South Africa", 1, None),
]

TABLE_2 = [
    (143, 1, "Libya", 600),
    (144, 2, "Kyrgyzstan", 500),
    (145, 3, "Turkmenistan", 360),
    (146, 4, "Kuwait", 70),
    (147, 5, "Somalia", 70),
    (148, 6, "Serbia", 60),
    (149, 7, "Afghanistan", 50),
    (150, 8, "Georgia", 50),
    (151, 9, "Trinidad and Tobago", 50),
    (152, 10, "Montenegro", 30),
    (153, 11, "Argentina", 23),
    (154, 12, "UAE", 15),
    (155, 13, "Portugal", 12),
    (156, 14, "Qatar", 10),
    (157, 15, "Japan", 9),
]

# (name as printed, figure, text as printed), all on line 173.
IEP_LINE = 173
IEP = [
    ("Tunisia", 5000, "Tunisia (5,000 )"),
    ("Saudi Arabia", 2500, "Saudi Arabia (2,500)"),
    ("Russia", 2400, "Russia (2,400)"),
    ("France", 2000, "France (2,000)"),
    ("Morocco", 1500, "Morocco (1,500)"),
    ("Jordan", 2000, "Jordan (2,000)"),
    ("Turkey", 1400, "Turkey (1,400)"),
    ("Lebanon", 900, "Lebanon, (900)"),
    ("Germany", 700, "Germany (700)"),
    ("Libya", 600, "Libya (600)"),
    ("the UK", 600, "the UK (600)"),
    ("Indonesia", 500, "Indonesia (500)"),
    ("Uzbekistan", 500, "Uzbekistan (500)"),
    ("Pakistan", 500, "Pakistan (500)"),
]
# fmt: on
