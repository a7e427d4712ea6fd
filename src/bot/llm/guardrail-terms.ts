/**
 * The multilingual word lists behind the guardrails: instructions smuggled into data, and the
 * promises a reply may only make when the shop's own text makes them. Matched on lower-cased
 * text; CJK terms match anywhere, Latin terms at word starts.
 */

/** Instruction-like text in shopper messages or knowledge-base documents. */
export const INJECTION_PATTERNS: readonly RegExp[] = [
  // en
  /\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|earlier|all|your|the|these)\b.{0,30}\b(instructions?|rules?|prompts?|guidelines?|polic(y|ies)|directions?)\b/i,
  /\byou are now\b|\bfrom now on,? you (are|will|must)\b|\bact as\b|\bpretend (to be|you are)\b|\broleplay as\b/i,
  /\b(reveal|show|print|repeat|output|display|tell me|give me|what (is|are))\b.{0,30}\b(system|hidden|initial|original|secret)?\s*(prompt|instructions?)\b/i,
  /\b(developer|debug|god|admin)\s+mode\b|\bjailbreak\b/i,
  /\bDAN\b/,
  /\blegally binding\b|\bbinding (offer|agreement|contract|promise)\b/i,
  /\bnew (system )?(instructions?|rules?)\s*:/i,
  // de
  /\b(ignoriere|vergiss|missachte)\b.{0,40}\b(anweisungen|regeln|vorgaben|instruktionen)\b/i,
  /\bdu bist (jetzt|ab sofort|nun)\b|\b(zeig|zeige|verrate|wiederhole|gib)\b.{0,30}\b(systemprompt|prompt|anweisungen)\b/i,
  /\brechtsverbindlich\b|\bverbindliches angebot\b/i,
  // es
  /\b(ignora|olvida|omite)\b.{0,40}\b(instrucciones|reglas|indicaciones)\b/i,
  /\b(ahora eres|a partir de ahora eres)\b|\b(muestra|revela|repite|dime)\b.{0,30}\b(prompt|instrucciones)\b/i,
  /\b(jur[ií]dicamente|legalmente) vinculante\b|\boferta vinculante\b/i,
  // fr
  /\b(ignore[sz]?|oublie[sz]?)\b.{0,40}\b(instructions|r[èe]gles|consignes)\b/i,
  /\b(tu es|vous [êe]tes) (maintenant|d[ée]sormais)\b|\b(montre|r[ée]v[èe]le|r[ée]p[èe]te|affiche)[sz]?\b.{0,30}\b(prompt|instructions|consignes)\b/i,
  /\b(juridiquement|l[ée]galement) (contraignant|engageant)e?\b|\boffre ferme\b/i,
  // nl
  /\b(negeer|vergeet)\b.{0,40}\b(instructies|regels|opdrachten)\b/i,
  /\bje bent nu\b|\b(toon|laat zien|herhaal|geef)\b.{0,30}\b(prompt|instructies)\b/i,
  /\bjuridisch bindend\b|\bwettelijk bindend\b/i,
  // pt / it
  /\b(ignore|esque[çc]a|ignora|dimentica)\b.{0,40}\b(instru[çc][õo]es|istruzioni|regras|regole)\b/i,
  /\b(voc[êe] agora [ée]|ora sei)\b|\b(juridicamente vinculativ[oa]|legalmente vincolante)\b/i,
  // ru
  /(игнорируй|забудь).{0,40}(инструкции|правила)|теперь ты|(покажи|раскрой).{0,30}(промпт|инструкции)|юридически обязывающ/i,
  // zh / ja
  /(忽略|无视|忘记|忽視|無視).{0,12}(指令|指示|说明|說明|规则|規則|提示)|你现在是|你現在是|从现在起你|(系统|系統)(提示|指令)|提示词|提示詞|(法律|法定)(约束|約束)力|具有法律效力/,
  /(以前|前)の指示を無視|システムプロンプト|あなたは今から|法的拘束力/,
];

/**
 * Words no reply may use, whatever the sources say: binding offers and personal commitments.
 * (What a reply may promise is decided by the claim checker against the shop's own texts.)
 */
export const PROMISES: readonly { family: string; terms: readonly string[] }[] = [
  {
    family: 'binding',
    terms: [
      'legally binding',
      'binding offer',
      'binding agreement',
      'rechtsverbindlich',
      'verbindliches angebot',
      'vinculante',
      'contraignant',
      'juridisch bindend',
      'wettelijk bindend',
      'vinculativ',
      'vincolante',
      '法律约束',
      '法律約束',
      '法律效力',
      '约束力',
      '約束力',
      '法的拘束力',
      'юридически обязывающ',
    ],
  },
  {
    family: 'commitment',
    terms: [
      'we will give you',
      "we'll give you",
      'i will give you',
      "i'll give you",
      'we promise',
      'i promise',
      'you have my word',
      'we hereby',
      'wir geben ihnen',
      'wir schenken ihnen',
      'ich verspreche',
      'wir versprechen',
      'le daremos',
      'te daremos',
      'le regalamos',
      'prometemos',
      'le prometo',
      'nous vous offrons',
      'nous vous donnerons',
      'je vous promets',
      'nous promettons',
      'wij geven u',
      'we geven je',
      'wij beloven',
      'we beloven',
      'ik beloof',
      'vamos te dar',
      'prometemos',
      'ti daremo',
      'promettiamo',
      '我们会给您',
      '我们将给您',
      '我们会给你',
      '送您',
      '送你',
      '我们保证',
      '我保证',
      '承诺',
      '約束します',
      'обещаем',
    ],
  },
];

/** A reply talking about its own instructions, or the data delimiters leaking. */
export const PROMPT_TALK: readonly RegExp[] = [
  /\b(system|hidden|initial|internal)\s*(prompt|instructions?|message|rules)\b/i,
  /\bmy (instructions|prompt|rules|guidelines) (say|are|tell)\b/i,
  /\bsystemprompt|systemanweisung|systemnachricht|instrucciones del sistema|mensaje del sistema|instructions? syst[èe]me|invite syst[èe]me|systeeminstructie|systeemprompt|prompt de sistema|prompt di sistema/i,
  /系统提示|系統提示|系统指令|系統指令|提示词|提示詞|システムプロンプト|системн(ый|ые) (промпт|инструкци)/,
  /<\/?\s*(knowledge_base|section|shopper_message|verification_note|tool_result)\b/i,
];
