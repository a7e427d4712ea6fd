/**
 * Indonesian vs Malay. The two standard languages share most of their grammar and vocabulary, and
 * eld has no Indonesian model at all, so Parley separates them with words that one variety uses
 * and the other does not (spelling and everyday vocabulary that diverged: Malay "kereta, kedai,
 * percuma, awak, kerana, mahu" against Indonesian "mobil, toko, gratis, kamu, karena, mau").
 */

// 2: the other variety essentially never writes this; 1: a strong habit of one side.
const MALAY: Readonly<Record<string, number>> = weights({
	2:
		"awak nak tak kerana sahaja percuma kedai hantar duit ialah mahu kereta pejabat beritahu khabar " +
		"cikgu epal lesen memandu bahagian pawagam kegemaran esok bas teksi polis bilik tandas faham fikir " +
		"ubat telefon nombor tempahan penghantaran jom encik syarikat sekejap seronok bercakap kasut seluar " +
		"sila rakan baiki membaiki rosak akaun emel kahwin budak kanak-kanak filem muzik oren minit kerusi " +
		"basikal kenderaan perkhidmatan isnin khamis jumaat setem kedua-dua takde inggeris kakitangan " +
		"senarai televisyen stesen membeli-belah hospital doktor isteri tingkap almari beg selepas semasa " +
		"sentiasa pelbagai berjaya cuba mencuba dicuba tembikai lembu arnab peperiksaan soalan jawapan " +
		"perkataan sukan percutian petang sihat selesema jururawat askar peguam jurutera setiausaha " +
		"pengurus mesyuarat cukai mesej katil bumbung tuala motosikal hodoh lawa kacak dahaga penat basuh " +
		"bermula memulakan berfikir fikiran risau khuatir jiran datuk pakcik makcik korang maklumat " +
		"kenyataan bekalan pembayaran dibayar bayaran terkini",
	1:
		"bila boleh sebab daripada tu ni mempunyai berkerja hendak lelaki dah kat mak emak bapa kerajaan " +
		"bandar negeri wang semalam balik jualan cakap macam sikit betul pandu jabatan bersetuju ahad pokok " +
		"masa mesti patut amat ramai nampak tengah lepas dahulu usah bimbang gemar mula ayat pelajar sejuk " +
		"gembira pulangkan",
});

const INDONESIAN: Readonly<Record<string, number>> = weights({
	2:
		"bisa karena gratis toko uang nggak enggak gak ngga mobil kantor bilang dibilang kok dong sih deh " +
		"banget udah aja gimana kapan kemarin paham pikir obat kamar telepon nomor pacar bercanda ketemu " +
		"bikin jelek ganteng capek bareng ayo sepatu celana perusahaan rusak akun sandi musik jeruk ngomong " +
		"mbak nih tuh lho kayak gitu gini yuk ngapain gede menit inggris prancis bapak sopir taksi " +
		"berbelanja gue kalian mau dokter istri lemari kulkas tas pohon berhasil coba mencoba dicoba " +
		"semangka sapi kelinci jawaban kalimat olahraga liburan sore sehat pilek perawat tentara pengacara " +
		"insinyur sekretaris manajer pajak ponsel situs koran museum ranjang kasur kursi handuk kacamata " +
		"sepeda bus bandara gampang seru haus perbaiki memperbaiki mulai memulai berpikir pikiran khawatir " +
		"tetangga kakek paman senantiasa pelan butuh membutuhkan dibutuhkan siswa laki-laki apel",
	1:
		"saja sama besok polisi mengerti cuma buru-buru pulang film libur kawin sebentar pemerintah kota " +
		"aku detik punya tersebut seharian silakan harus waktu jendela ujian pertanyaan mahasiswa rapat " +
		"lelah cuci antar kirim informasi menikah sulit atap motor pesawat pesan",
});

const CLITIC = /(?:lah|kah|nya|pun)$|-/u;

// Spellings that diverged by rule: Malay -iti/-syen against Indonesian -itas/-si.
const MALAY_SUFFIX = /^\p{L}{3,}(?:iti|syen)$/u;
const INDONESIAN_SUFFIX = /^\p{L}{3,}itas$/u;

// Two-word terms whose words alone are shared (hospital, password, refund).
const INDONESIAN_PHRASES = /\b(?:rumah sakit|kata sandi)\b/gu;
const MALAY_PHRASES = /\b(?:kata laluan|bayar balik)\b/gu;

function weights(byWeight: Record<number, string>): Record<string, number> {
	const table: Record<string, number> = {};
	for (const [weight, words] of Object.entries(byWeight)) {
		for (const word of words.split(/\s+/))
			if (word) table[word] = Number(weight);
	}
	return table;
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
	const lower = text.toLowerCase();
	let score =
		2 *
		((lower.match(MALAY_PHRASES) ?? []).length -
			(lower.match(INDONESIAN_PHRASES) ?? []).length);
	for (const word of lower.split(/[^\p{L}-]+/u)) {
		if (!word) continue;
		score += wordScore(word);
		// Clitics and reduplication: "awaklah", "bolehkah", "kereta-kereta".
		if (!CLITIC.test(word)) continue;
		const stem =
			word.replace(/(?:lah|kah|nya|pun)$/u, "").split("-")[0] ?? word;
		if (stem !== word && stem.length > 2) score += wordScore(stem) / 2;
	}
	return score;
}

function wordScore(word: string): number {
	const listed = (MALAY[word] ?? 0) - (INDONESIAN[word] ?? 0);
	if (listed !== 0) return listed;
	return MALAY_SUFFIX.test(word) ? 2 : INDONESIAN_SUFFIX.test(word) ? -2 : 0;
}
