/**
 * Indonesian vs Malay. The two standard languages share most of their grammar and vocabulary, and
 * eld has no Indonesian model at all, so Parley separates them with the places where the two
 * standards (Dewan Bahasa dan Pustaka for Malaysia, KBBI/EYD for Indonesia) diverged:
 * - everyday vocabulary: Malay "kereta, kedai, percuma, awak, tandas" against Indonesian
 *   "mobil, toko, gratis, kamu, toilet";
 * - spelling of shared words and loans: "wang/uang, fikir/pikir, sedar/sadar, bahawa/bahwa,
 *   kualiti/kualitas, muzik/musik, Jepun/Jepang";
 * - colloquial particles: Malay "nak, tak, je, kat" against Indonesian "nggak, aja, banget, sih";
 * - a convention: Indonesian capitalises the pronoun "Anda" anywhere, Malay writes "anda".
 *
 * Every cue is weighed by how reliably it marks one side (see {@link LEXICON}); words both
 * standards use (sangat, sekarang, suka, tidak, belum ...) are simply absent. eld's Malay model
 * scores both varieties alike, so it takes no part here (measured: no gain as a tiebreaker).
 */

/**
 * The difference list. Each weight groups entries written `malay/indonesian` (a pair of
 * equivalents), `malay/` (a Malay-only word) or `/indonesian`. `_` joins a multi-word term,
 * which is matched before its words; a trailing `+` marks a verb root whose usual verbal forms
 * (di-, meN-, ter-, ber-, -kan, -i) are listed too. A word on both sides cancels out.
 *
 * Weights: 2 = the other standard essentially never writes it; 1.5 = rare on the other side
 * (literary, regional or a different sense); 1 = a strong habit of one side; 0.5 = a lean.
 */
const LEXICON: Readonly<Record<number, string>> = {
  2: [
    // money, shops, business
    'wang/uang kedai/toko percuma/gratis beg/tas diskaun/diskon resit/struk /kuitansi bil/tagihan',
    'yuran/ biasiswa/beasiswa ringgit/rupiah perniagaan/bisnis usahawan/ kilang/pabrik pakej/',
    'bungkusan/ kad/kartu kad_kredit/kartu_kredit syarikat/perusahaan akaun/akun cukai/pajak',
    'tempahan/ penghantaran/ perkhidmatan/ kakitangan/karyawan beratur/antre /antri',
    // transport
    'bas/bus /bis lori/truk jambatan/jembatan tayar/ enjin/ teksi/taksi basikal/sepeda motosikal/',
    'stesen/stasiun lapangan_terbang/bandara /bandar_udara',
    'kapal_terbang/ petrol/bensin lebuh_raya/jalan_tol memandu/menyetir /nyetir /sopir /supir',
    'lesen/ kenderaan/kendaraan kemalangan/kecelakaan /karcis',
    // home and things
    'bilik/ tandas/ bilik_air/kamar_mandi almari/lemari katil/ tilam/kasur tuala/handuk',
    'bumbung/ siling/ peti_sejuk/kulkas peti_ais/ pinggan/piring cawan/cangkir sudu/sendok',
    'baldi/ember syampu/sampo berus/ mancis/ /kaleng /pasta_gigi',
    'kuali/wajan /panci paip/keran penghawa_dingin/ ketuhar/ lif/ kerusi/kursi pensel/pensil',
    '/pulpen seluar/celana kasut/sepatu stokin/kaus_kaki tali_leher/dasi skirt/rok',
    'cermin_mata/kacamata tingkap/ telefon+/telepon+ telefon_bimbit/ponsel bimbit/',
    'nombor/nomor setem/perangko /prangko sampul_surat/amplop poskad/kartu_pos',
    // food, animals, nature
    'epal/apel oren/jeruk tembikai/semangka betik/pepaya lobak_merah/wortel cili/cabai /cabe',
    'terung/terong strawberi/stroberi /cokelat gula-gula/permen kuih/kue kek/ sos/saus',
    'sosej/sosis /mie sotong/cumi-cumi /cumi ketam/kepiting ais_krim/es_krim wain/ khinzir/',
    'lembu/sapi arnab/kelinci /bebek lipas/kecoak /kecoa rama-rama/kupu-kupu haiwan/hewan',
    'makan_tengah_hari/makan_siang salji/salju tasik/danau musim_bunga/musim_semi',
    'musim_luruh/musim_gugur',
    // people and roles
    'isteri/istri /laki-laki /pacar /cowok /cewek awek/ pakwe/ pakcik/paman makcik/ /tante',
    'jiran/tetangga tetamu/tamu encik/ puan/nyonya cikgu/ pensyarah/dosen doktor/dokter',
    'pesakit/pasien jurutera/insinyur setiausaha/sekretaris /manajer askar/ tentera/tentara',
    'polis/ saintis/ilmuwan jurugambar/fotografer juruwang/kasir jurulatih/ jururawat/',
    'warga_emas/lansia ibu_bapa/ /ortu korang/ kitorang/ diorang/ dorang/ /kalian /gue',
    '/nyokap /bokap',
    // places, institutions, countries
    'hospital/rumah_sakit pejabat_pos/kantor_pos balai_polis/kantor_polisi pawagam/bioskop',
    'muzium/ /provinsi /kabupaten kolej/ tadika/ sekolah_rendah/sekolah_dasar',
    'parlimen/parlemen pilihan_raya/pemilu mengundi/ majlis/majelis kerajaan_tempatan/',
    'inggeris/inggris /prancis jepun/jepang sepanyol/spanyol eropah/eropa',
    'amerika_syarikat/amerika_serikat /serikat belgium/belgia sweden/swedia norway/norwegia',
    'finland/finlandia poland/polandia hungary/hongaria mexico/meksiko scotland/skotlandia',
    'ireland/irlandia /selandia /tiongkok /tionghoa',
    // time
    'kelmarin/kemarin isnin/senin khamis/kamis jumaat/jumat julai/juli ogos/agustus',
    'disember/desember /maret /juni minit/menit sentiasa/ minggu_hadapan/',
    // function words and particles
    'awak/ kerana/karena bahawa/bahwa iaitu/yaitu mahupun/maupun justeru/justru sahaja/',
    'takde/ /nggak /enggak /gak /ngga /kagak /banget /aja /sih /dong /deh',
    '/kok /lho /loh /nih /tuh /gitu /gini /kayak /gimana /ngapain /emang /doang /yuk',
    '/mending /mendingan /beneran /pengen /pingin /udah /kapan sesiapa/ mana-mana/',
    'bila-bila/ manakala/ okey/oke',
    // verbs and adjectives
    'hantar+/ cuba+/coba+ fikir+/pikir+ fikiran/pikiran faham+/paham+ sedar+/sadar+',
    'kesedaran/kesadaran beritahu/ bercakap/ berbual/mengobrol /ngobrol /ngomong /bilang',
    '/dibilang /dikasih /ngasih /kasih_tahu kahwin+/ perkahwinan/perkawinan /bikin /ketemu',
    '/ketemuan membaiki/ dibaiki/ baiki/ rosak+/rusak+ kerosakan/kerusakan memulakan/',
    'dimulakan/ /mulai /memulai /dimulai berjaya/ bersetuju/ melawat/ lawatan/ menempah/',
    'mengandungi/ kesilapan/ bergaduh/ /berantem /bercanda seronok/ lawa/ kacak/ganteng',
    'comel/imut kelakar/ hodoh/jelek /gampang perlahan/pelan perlahan-lahan/pelan-pelan',
    'selesema/pilek sihat/sehat ubat/obat berfikir/berpikir dahaga/ /capek /gede',
    '/butuh /membutuhkan /dibutuhkan /kangen /mampir /ngantuk /keren /pulsa /bareng /ayo',
    'degil/ tahniah/ jom/ ayuh/ sembang/ borak/ lepak/ pohon_maaf/ bergurau/ berseloroh/ tersilap/',
    'bersiar-siar/ melancong/ berkelah/ bercuti/berlibur ulang_kaji/ darjah/ markah/ tekak/tenggorokan',
    '/jidat cirit-birit/diare nipis/tipis masin/asin teruk/ pelik/ hensem/ sebahagian/sebagian /bagian',
    // words, school, media, technology
    'soalan/ jawapan/jawaban peperiksaan/ erti/arti bererti/berarti ertinya/artinya',
    'sukan/olahraga percutian/liburan pelancong/ pelancongan/pariwisata /wisatawan',
    'kata_laluan/kata_sandi emel/surel laman_web/situs_web muat_turun/unduh+ muat_naik/unggah+',
    'perisian/perangkat_lunak tetikus/ papan_kekunci/ komputer_riba/ bateri/baterai',
    'televisyen/televisi filem/ muzik/musik surat_khabar/surat_kabar khabar/kabar akhbar/koran',
    'matematik/matematika fizik/fisika kempen/kampanye projek/proyek jadual/jadwal',
    'cadangan/saran mencadangkan/menyarankan maklumat/ mesyuarat/ automatik/otomatis',
    'logik/logis teknikal/teknis praktikal/praktis sistematik/sistematis demokratik/demokratis',
    'romantik/romantis dramatik/dramatis elektrik/listrik rekod/rekor sifar/nol',
    // shop and delivery
    'tarikh/tanggal kod/kode poskod/kode_pos saiz/ waranti/garansi ansuran/cicilan invois/faktur',
    'bayar_balik/ pemulangan/ /ongkir /ongkos kurier/ penjejakan/ /resi /lacak+ menyemak/ baucar/ troli/',
    'log_masuk/ sebut_harga/ pindahan_wang/ /pengembalian_dana',
    // colloquial forms of each side (chat messages)
    '/mantan /pacaran /barusan /soalnya /makanya',
    '/nongkrong /males /cakep /duluan /kelar /ribet /engga /liat /denger /kemaren /ntar /entar /dapet',
    '/pake /nyari /nunggu /nanya /ngeliat /ngajak /nyampe /ngerti /elo /elu kejap/ takpe/ takpa/ ape/',
    'mane/ nape/ camne/ macamana/ mcm/ sape/ giler/ jer/ jugak/ pastu/ lepastu/ apehal/ pehal/ apsal/',
    // numbers, festivals, other
    'bilion/miliar trilion/triliun jemputan/undangan bola_sepak/sepak_bola /sepakbola',
    'krismas/natal /lebaran solat/salat /shalat pelbagai/ senarai/ mesej/ kegemaran/',
    'bahagian/ /taman_kanak-kanak kedua-dua/ membeli-belah/',
  ].join(' '),
  1.5: [
    'tempat_letak_kereta/ nak/ mahu/mau esok/besok je/ ialah/ bapa/bapak betul-betul/',
    'datuk/kakek penat/ risau/ khuatir/khawatir sejuk/ /haus petang/sore tengok/',
    'kanak-kanak/ sila/silakan perkataan/ /kalimat rakan/rekan /perawat peguam/pengacara',
    '/kamar /menikah /kalo /bener /sampe /halo helo/',
    '/kaus /kaos /paket hari_jadi/ulang_tahun /museum /film muzikal/ pening/',
    'derma+/ dalam_talian/daring talian/ /layar skrin/',
    '/wisata /apartemen apartmen/ pangsapuri/',
    '/italia itali/ silap/ adakah/ sebalik/ luar_negara/luar_negeri /beres /membereskan',
    '/lumayan /om /kurir /pengembalian /transfer /keranjang /abis /belom /bentar /cape /ga /lo',
    'ade/ kite/ weh/ wei/ bakul/ pindahan/ faedah/ gerai/ /warung tahun_hadapan/ jemput_masuk/',
    'separuh/ /jilbab /kerudung /sisir /tenggorok berhampiran/',
  ].join(' '),
  1: [
    'kereta/mobil pejabat/kantor tak/ hendak/ bila/ boleh/bisa kat/ dah/ ni/ tu/',
    'sikit/dikit macam/ cakap/ lelaki/ teman_lelaki/ teman_wanita/',
    'budak/ duit/ bandar/ cuti/libur semalam/ kelmarin_dulu/',
    'ahad/ kadangkala/ kerap/ kerapkali/ tiada/ sekiranya/seandainya semenjak/',
    'sungguhpun/ agaknya/ usah/ bimbang/ gemar/ letih/lelah sukar/sulit',
    'berlaku/ mempunyai/punya pulangkan/ nampak/ bermula/ mula/ pandu/ jabatan/ pokok/',
    'berkerja/ pelajar/siswa /mahasiswa ayat/ ujian_bertulis/ sebiji/ sedap/enak laju/ bising/berisik',
    '/detik sekejap/ /polisi /seharian /buru-buru /mengerti kereta_api/kereta_api',
    'berjumpa/ /kasih kajian/penelitian tahap/ alam_sekitar/lingkungan',
    'rancangan/acara pasukan/tim perlawanan/pertandingan ribut/badai sains/ hutang/utang',
    'hari_raya/ /berbelanja /pohon /seru /iya /pusing /jaringan /gedung /taruh+ /pengiriman',
    '/pemerintah ketawa/ terlupa/ menjumpai/ masam/ /parah geram/ /rute laluan/ kawasan/',
    'berdekatan/ berpindah/ memulangkan/ /menginap tudung/ kot/jas',
    'tomato/tomat itik/ gaduh/ berbanding/dibandingkan pengurus/ semasa/ /berhasil',
    '/senantiasa kritikal/kritis /kawin /grup',
    'selepas/sesudah /pesawat /informasi /kunjungi',
    '/berkunjung /mengunjungi /kunjungan menyertai/bergabung lorong/',
    '/jendela /harus /antar+ /yakni /pokoknya /besoknya /ujar',
    '/pemahaman membasuh/ basuh/ /beliin',
  ].join(' '),
  0.5: [
    'tukar+/ sebab/ daripada/ betul/ mesti/ masa/waktu lepas/ tengah/ patut/',
    'gembira/senang jualan/ apabila/ bayaran/ kenyataan/ terkini/ /kamu /sama',
    '/kirim /pesan /pulang /ujian /dingin berkenaan/ apa-apa/ seterusnya/selanjutnya',
    '/memperbaiki /perbaiki bunyi/ /memiliki /cuci /mencuci amat/ /pintar /sebentar /cuma',
    'mak/ emak/ abang/ negeri/ ramai/ balik/ /kota /aku /motor /atap /pertanyaan /tersebut',
    '/teman kawan/ /ternyata /yah /bu kos/ kumpulan/ hadapan/ manakah/ mengapakah/',
    '/aneh /rapi /kesal coklat/ masa_depan/masa_depan tengah_malam/tengah_malam /di_balik',
  ].join(' '),
};

// Spellings that diverged by rule: Malay -iti/-syen against Indonesian -itas, and loan adjectives
// Malay ends in -tik/-kal where Indonesian writes -tis (otomatis, dramatis, kritis).
const MALAY_SUFFIX = /^\p{L}{3,}(?:iti|syen)$/u;
const INDONESIAN_SUFFIX = /^\p{L}{3,}itas$/u;
const INDONESIAN_TIS = /^\p{L}{3,}[aeiuo]tis$/u;
const MEDICAL_TIS = /(?:hepatitis|bronkitis|artritis|meningitis|sinusitis|gastritis)$/u;

// Words that merely end like a clitic: "masalah" is not "masa" + "lah".
const NOT_CLITIC = new Set(['masalah', 'sekolah', 'telah', 'kalah', 'salah']);
const CLITIC = /(?:lah|kah|tah|nya|pun|ku|mu)$/u;

// "daripada" is Malay for "from (someone)"; after a comparative both standards write it.
const COMPARATIVE = /\b(?:lebih|kurang|lain|baik)\b/u;

// Indonesian capitalises the pronoun "Anda" wherever it stands; Malay writes "anda".
const ANDA = /\b[Aa]nda\b/gu;
const OPENS_SENTENCE = /[.!?…"'“‘(«¿¡:]$/u;

interface Lexicon {
  readonly words: ReadonlyMap<string, number>;
  /** Multi-word terms by their first word, longest first. */
  readonly phrases: ReadonlyMap<string, readonly (readonly [string[], number])[]>;
}

const lexicon: Lexicon = buildLexicon(LEXICON);

function buildLexicon(byWeight: Readonly<Record<number, string>>): Lexicon {
  const words = new Map<string, number>();
  const phrases = new Map<string, [string[], number][]>();
  const add = (term: string, weight: number): void => {
    if (!term) return;
    const parts = term.split('_');
    if (parts.length === 1) {
      words.set(term, (words.get(term) ?? 0) + weight);
      return;
    }
    const first = parts[0] ?? '';
    const list = phrases.get(first) ?? [];
    const known = list.find(([p]) => p.join('_') === term);
    if (known) known[1] += weight;
    else list.push([parts, weight]);
    list.sort((a, b) => b[0].length - a[0].length);
    phrases.set(first, list);
  };
  for (const [weightText, entries] of Object.entries(byWeight)) {
    const weight = Number(weightText);
    const seen = new Set<string>();
    for (const entry of entries.split(/\s+/)) {
      if (!entry) continue;
      const [malay = '', indonesian = ''] = entry.split('/');
      for (const [side, sign] of [
        [malay, 1],
        [indonesian, -1],
      ] as const) {
        for (const form of side.endsWith('+') ? verbForms(side.slice(0, -1)) : [side]) {
          const key = `${sign}:${form}`;
          if (!form || seen.has(key)) continue;
          seen.add(key);
          add(form, sign * weight);
        }
      }
    }
  }
  return { words, phrases };
}

/** A verb root with its common derived forms: hantar → menghantar, dihantar, hantarkan ... */
function verbForms(root: string): string[] {
  const active = nasalised(root);
  return [root, `${root}kan`, `${root}i`, `di${root}`, `di${root}kan`, `di${root}i`, `ter${root}`, `ber${root}`, active, `${active}kan`, `${active}i`];
}

// meN-: the nasal assimilates to the root's first sound, and k p t s drop.
function nasalised(root: string): string {
  if (root.startsWith('per')) return `mem${root}`;
  if (root.startsWith('sy')) return `meny${root}`;
  const first = root[0] ?? '';
  if ('aeiough'.includes(first)) return `meng${root}`;
  if (first === 'k') return `meng${root.slice(1)}`;
  // Malay f in old Arabic loans drops like p: fikir → memikirkan, faham → memahami.
  if ('pf'.includes(first)) return `mem${root.slice(1)}`;
  if ('bv'.includes(first)) return `mem${root}`;
  if (first === 't') return `men${root.slice(1)}`;
  if ('dcjz'.includes(first)) return `men${root}`;
  if (first === 's') return `meny${root.slice(1)}`;
  return `me${root}`;
}

/**
 * Malay minus Indonesian evidence: > 0 leans Malay, < 0 Indonesian, 0 undecided.
 *
 * @example
 * ```ts
 * malayEvidence('Saya nak beli kereta'); // > 0
 * malayEvidence('Saya mau beli mobil');  // < 0
 * ```
 */
export function malayEvidence(text: string): number {
  let score = andaCase(text);
  const lower = text.toLowerCase();
  const comparative = COMPARATIVE.test(lower);
  const tokens = lower
    .replace(/\bterima kasih\b|\bkasih sayang\b/gu, ' ')
    .split(/[^\p{L}-]+/u)
    .filter((t) => t && t !== '-');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const phrase = phraseAt(tokens, i);
    if (phrase) {
      score += phrase[1];
      i += phrase[0].length - 1;
      continue;
    }
    if (token === 'daripada' && comparative) continue;
    score += tokenScore(token);
  }
  return score;
}

function phraseAt(tokens: readonly string[], at: number): readonly [string[], number] | undefined {
  const candidates = lexicon.phrases.get(tokens[at] ?? '');
  return candidates?.find(([parts]) => parts.every((part, k) => tokens[at + k] === part));
}

function tokenScore(token: string): number {
  const listed = lexicon.words.get(token);
  if (listed !== undefined) return listed;
  // Reduplication ("kereta-kereta") and clitics ("awaklah", "bolehkah", "keretaku").
  const [head = token] = token.split('-');
  if (head !== token) return lexicon.words.get(head) ?? spellingScore(head);
  if (!NOT_CLITIC.has(token)) {
    const stem = token.replace(CLITIC, '');
    if (stem !== token && stem.length > 2) {
      const stemmed = lexicon.words.get(stem);
      if (stemmed !== undefined) return stemmed;
    }
  }
  return spellingScore(token);
}

function spellingScore(word: string): number {
  if (MALAY_SUFFIX.test(word)) return 2;
  if (INDONESIAN_SUFFIX.test(word)) return -2;
  if (INDONESIAN_TIS.test(word) && !MEDICAL_TIS.test(word)) return -1;
  return 0;
}

function andaCase(text: string): number {
  let score = 0;
  for (const match of text.matchAll(ANDA)) {
    const before = text.slice(0, match.index).trimEnd();
    if (before === '' || OPENS_SENTENCE.test(before)) continue;
    score += match[0] === 'Anda' ? -1 : 1;
  }
  return score;
}
