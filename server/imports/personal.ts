/**
 * Columns that survey tools fill with personal data about the respondent, whatever the question
 * asked: recognised by the tool's own column ids (Qualtrics `IPAddress`, `RecipientEmail`,
 * `LocationLatitude`, ImportIds such as `panel-RecipientLastName`) and by their labels in the
 * languages exports come in, since Qualtrics writes the labels in the account's language.
 */
const PERSONAL_IDS = [
  /^(ip|ipaddress)$/,
  /^(panel)?recipient(first|last)?(name|email)$/,
  /^location(latitude|longitude)$/,
  /^(external(data)?reference|externalref)$/,
  /^(email|emailaddress|e?mailaddr)$/,
  /^geolocation$/,
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
  ].map(normalise),
);

/** Lower case, no accents, letters and digits only: "E-Mail-Adresse" and "email address" meet. */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Why this column holds personal data, or undefined when nothing says it does. */
export function personalReason(column: {
  name: string;
  id?: string;
  importId?: string;
  label?: string;
}): string | undefined {
  for (const id of [column.id, column.importId]) {
    if (id && PERSONAL_IDS.some((pattern) => pattern.test(normalise(id)))) {
      return `the survey tool's column "${id}" holds personal data`;
    }
  }
  for (const label of [column.label, column.name]) {
    if (label && PERSONAL_LABELS.has(normalise(label))) return `"${label}" holds personal data`;
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
