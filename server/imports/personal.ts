/**
 * Columns that survey tools fill with personal data about the respondent, whatever the question
 * asked: recognised by the tool's own column ids (Qualtrics `IPAddress`, `RecipientEmail`,
 * `LocationLatitude`, ImportIds such as `panel-RecipientLastName`) and by their labels in the
 * languages exports come in, since Qualtrics writes the labels in the account's language.
 */
const PERSONAL_IDS = [
  /^(ip|ipaddr|ipaddress|remoteaddr)$/,
  /^(panel)?recipient(first|last)?(name|email)$/,
  /(latitude|longitude)/,
  /^(external(data)?reference|externalref)$/,
  /^(email|emailaddress|e?mailaddr)$/,
  /^(geolocation|gps|geopoint)$/,
  /^(submittedby|username)$/,
];

const PERSONAL_LABELS = new Set(
  [
    // English (SurveyMonkey, Google Forms, Microsoft Forms, LimeSurvey, KoboToolbox, Qualtrics)
    'IP Address',
    'Email Address',
    'Email',
    'E-mail',
    'First Name',
    'Last Name',
    'Name',
    'Full name',
    'Recipient First Name',
    'Recipient Last Name',
    'Recipient Email',
    'Location Latitude',
    'Location Longitude',
    'Latitude',
    'Longitude',
    'External Data Reference',
    'External Reference',
    'Username',
    'Phone',
    'Phone number',
    'Telephone',
    'Custom Data',
    'Custom Data 1',
    'Custom Data 2',
    'Submitted by',
    '_submitted_by',
    '_geolocation',
    // German
    'IP-Adresse',
    'E-Mail-Adresse',
    'E-Mail',
    'Vorname',
    'Nachname',
    'Vorname des Empfängers',
    'Nachname des Empfängers',
    'E-Mail-Adresse des Empfängers',
    'Breitengrad des Standorts',
    'Längengrad des Standorts',
    'Breitengrad',
    'Längengrad',
    'Externe Datenreferenz',
    'Telefon',
    'Telefonnummer',
    // French
    'Adresse IP',
    'Adresse e-mail',
    'Adresse électronique',
    'Courriel',
    'Prénom',
    'Nom',
    'Nom de famille',
    'Prénom du destinataire',
    'Nom du destinataire',
    'E-mail du destinataire',
    'Latitude de l’emplacement',
    'Longitude de l’emplacement',
    'Téléphone',
    // Spanish
    'Dirección IP',
    'Dirección de correo electrónico',
    'Correo electrónico',
    'Nombre',
    'Apellido',
    'Apellidos',
    'Nombre del destinatario',
    'Apellido del destinatario',
    'Correo electrónico del destinatario',
    'Latitud de la ubicación',
    'Longitud de la ubicación',
    'Latitud',
    'Longitud',
    'Teléfono',
    // Italian, Dutch, Portuguese
    'Indirizzo IP',
    'Indirizzo email',
    'Cognome',
    'Nome',
    'IP-adres',
    'E-mailadres',
    'Achternaam',
    'Voornaam',
    'Endereço IP',
    'Endereço de e-mail',
    'Sobrenome',
    // Welsh
    'Cyfeiriad IP',
    'Cyfeiriad e-bost',
    'E-bost',
    'Enw',
    'Cyfenw',
    'Enw cyntaf',
    'Rhif ffôn',
    // More English forms
    'IP',
    'Surname',
    'Forename',
    'Given name',
    'Family name',
    'Your name',
    'Your email',
    'Your email address',
    'Email address (optional)',
    'Mobile',
    'Mobile number',
    'Mobile phone',
    'Phone Number',
    'Postcode',
    'Post code',
    'Address',
    'Home address',
    'Address 2',
    'City/Town',
    'Date of birth',
    'Contact details',
    // Russian, Chinese, Japanese
    'IP-адрес',
    'Адрес электронной почты',
    'Электронная почта',
    'Имя',
    'Фамилия',
    'Телефон',
    'IP地址',
    '电子邮件',
    '电子邮箱',
    '邮箱',
    '姓名',
    '电话',
    'IPアドレス',
    'メールアドレス',
    '氏名',
    '電話番号',
  ].map(normalise),
);

/**
 * Lower case, no accents, letters (of any script) and digits only: "E-Mail-Adresse" and "email
 * address" meet, and "メールアドレス" stays itself.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Labels that name contact details however they are phrased: "Your email address (work)", "Mobile phone number". */
const PERSONAL_LABEL_PATTERNS = [
  /^(your |work |personal |contact )?e-?mail( address)?\b/i,
  /^(your |mobile |home |work )?(tele)?phone( number)?\b/i,
  /^mobile( number)?\b/i,
  /^(your )?(post ?code|zip ?code)\b/i,
  /\b(in what|what is your|your) (post ?code|zip ?code)\b/i,
  /^(your )?(full |first |last |given |family )?name( and surname)?$/i,
];

/** Why this column holds personal data, or undefined when nothing says it does. */
export function personalReason(column: {
  name: string;
  id?: string;
  importId?: string;
  label?: string;
  /** SurveyMonkey's sub-label: a contact question's "Email Address" under "Contact information". */
  subLabel?: string;
}): string | undefined {
  // A one-row file's header is often the tool's own column code (LimeSurvey `ipaddr`, Kobo `_gps_latitude`).
  for (const id of [column.id, column.importId, column.label ?? column.name]) {
    if (id && PERSONAL_IDS.some((pattern) => pattern.test(normalise(id)))) {
      return `the survey tool's column "${id}" holds personal data`;
    }
  }
  for (const label of [column.label, column.name, column.subLabel]) {
    if (!label) continue;
    if (PERSONAL_LABELS.has(normalise(label))) return `"${label}" holds personal data`;
    if (PERSONAL_LABEL_PATTERNS.some((pattern) => pattern.test(label.trim()))) {
      return `"${label}" asks for contact details or a name`;
    }
  }
  return undefined;
}

/** Column names and ids of a respondent id: a key, never stored as an answer. */
const RESPONDENT_IDS = new Set(['respondentid', 'responseid', 'uuid', 'id', 'instanceid', 'submissionid']);

export function isRespondentId(column: { name: string; id?: string; label?: string }): boolean {
  return [column.id, column.label, column.name].some(
    (text) => text !== undefined && RESPONDENT_IDS.has(normalise(text)),
  );
}
