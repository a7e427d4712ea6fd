/**
 * The *question frame* shoppers wrap around a topic ("how long does it take", "I want to
 * know", "请问", "需要多久"), by primary language subtag, dropped like the `stopword` package's
 * function words. Left in, those words would lower the coverage part of a retrieval's
 * confidence for perfectly clear questions. Written as shoppers type them; ./analyze.ts folds
 * them.
 *
 * Kept deliberately small: a word that is a topic for a pet shop ("free", "open", "food")
 * must never be here. "us" is, because "the US" is rewritten to "usa" before stop words go.
 */
export const QUESTION_FRAMES: Readonly<Record<string, readonly string[]>> = {
  en: [
    'a', 'about', 'again', 'all', 'also', 'am', 'an', 'and', 'any', 'are', 'as', 'at', 'be',
    'been', 'being', 'but', 'by', 'can', 'cant', 'could', 'couldnt', 'did', 'didnt', 'do',
    'does', 'doesnt', 'doing', 'dont', 'for', 'from', 'get', 'got', 'had', 'happen', 'happens', 'has', 'have',
    'he', 'hello', 'her', 'here', 'hey', 'hi', 'him', 'his', 'how', 'i', 'id', 'if', 'im',
    'in', 'into', 'is', 'isnt', 'it', 'its', 'ive', 'just', 'know', 'let', 'like', 'long',
    'many', 'may', 'me', 'might', 'much', 'must', 'my', 'no', 'not', 'of', 'ok', 'okay', 'on', 'or',
    'our', 'please', 'pls', 'she', 'should', 'so', 'some', 'still', 'take', 'takes', 'tell', 'than',
    'thank', 'thanks', 'that', 'the', 'their', 'them', 'then', 'there', 'these', 'they',
    'this', 'those', 'to', 'too', 'us', 'very', 'want', 'was', 'we', 'were', 'what', 'when',
    'where', 'which', 'who', 'why', 'will', 'with', 'would', 'wont', 'yet', 'you', 'youre', 'your',
  ],
  es: [
    'a', 'al', 'como', 'con', 'cual', 'cuando', 'cuanto', 'de', 'del', 'donde', 'el', 'en',
    'es', 'esta', 'gracias', 'hola', 'la', 'las', 'lo', 'los', 'me', 'mi', 'mis', 'para',
    'por', 'puedo', 'que', 'quiero', 'se', 'su', 'sus', 'un', 'una', 'y', 'yo',
  ],
  fr: [
    'au', 'aux', 'avec', 'bonjour', 'ce', 'comment', 'dans', 'de', 'des', 'du', 'est', 'et',
    'il', 'je', 'la', 'le', 'les', 'ma', 'mes', 'merci', 'mon', 'ou', 'pour', 'quand',
    'que', 'qui', 'sur', 'un', 'une', 'vous',
  ],
  de: [
    'auf', 'bitte', 'das', 'der', 'die', 'ein', 'eine', 'einen', 'hallo', 'ich', 'ist',
    'mein', 'meine', 'mit', 'nach', 'und', 'wann', 'was', 'wie', 'wo', 'zu',
  ],
  nl: [
    'de', 'een', 'en', 'het', 'hoe', 'ik', 'is', 'mijn', 'naar', 'van', 'wanneer', 'wat',
  ],
  zh: [
    '的', '了', '是', '我', '你', '您', '他', '她', '它', '们', '吗', '呢', '吧', '啊', '呀',
    '在', '和', '与', '也', '都', '就', '还', '要', '想', '我想', '我要', '请', '请问',
    '能', '可以', '能不能', '可不可以', '怎么', '怎么样', '怎样', '如何', '什么', '多久',
    '需要', '一下', '这个', '那个', '有没有', '谢谢', '你好', '您好', '们', '你们', '我们',
    '多少', '几', '几天', '几点', '个', '把', '由', '为', '会', '被', '给', '从', '后',
  ],
  ja: [
    'の', 'に', 'は', 'を', 'が', 'で', 'と', 'も', 'か', 'です', 'ます', 'ください',
    'いくら', 'どのくらい', 'どれくらい', 'どれぐらい', 'くらい', 'ぐらい', 'いつ', 'どこ', 'どう',
    'なに', 'なん', '何', 'ですか', 'ますか', 'でしょうか', 'できますか', '教えて', 'お願いします',
    'って', 'けど', 'よ', 'ね',
  ],
};
