/**
 * Han-script decisions Parley makes itself: Simplified vs Traditional Chinese, and the rare
 * Japanese text written without any kana. Statistical detectors do not separate the two Chinese
 * scripts, and they mistake two-character Chinese messages (退货) for Japanese.
 */
import * as OpenCC from 'opencc-js';

/** Which written form of Chinese a text uses, when it shows one. */
export type HanVariant = 'Hans' | 'Hant';

/**
 * Common characters that differ between the scripts, as "simplified traditional" pairs.
 * Pairs whose simplified form is also an ordinary traditional character (后/後, 里/裡, 面/麵,
 * 干/乾, 只/隻, 台/臺 ...) are left out on purpose: they prove nothing.
 */
const PAIRS = [
  '们們 这這 说說 么麼 时時 会會 来來 对對 过過 还還 没沒 请請 问問 谢謝 话話 买買 卖賣 东東 车車 单單 货貨 钱錢 给給 让讓',
  '为為 个個 国國 学學 习習 见見 觉覺 现現 实實 点點 长長 开開 关關 门門 间間 电電 脑腦 网網 线線 经經 红紅 约約 级級 纸紙',
  '练練 组組 细細 终終 结結 绝絕 统統 继繼 续續 维維 编編 总總 认認 识識 语語 读讀 写寫 词詞 论論 设設 计計 订訂 记記 许許',
  '试試 该該 详詳 误誤 调調 谈談 谁誰 课課 变變 发發 头頭 边邊 进進 远遠 运運 达達 选選 连連 迟遲 适適 递遞 邮郵 钟鐘 银銀',
  '锁鎖 错錯 铁鐵 钢鋼 页頁 顺順 须須 顾顧 题題 颜顏 风風 飞飛 饭飯 饿餓 马馬 骑騎 鱼魚 鸟鳥 鸡雞 龙龍 龟龜 齿齒 岁歲 历歷',
  '压壓 厅廳 厂廠 广廣 庆慶 应應 张張 弹彈 强強 归歸 当當 录錄 办辦 务務 动動 劳勞 势勢 华華 协協 卫衛 却卻 厉厲 县縣 参參',
  '双雙 叶葉 号號 吗嗎 听聽 启啟 员員 响響 园園 围圍 图圖 圆圓 场場 坏壞 块塊 坚堅 报報 声聲 处處 备備 够夠 夺奪 奋奮 妈媽',
  '孙孫 宝寶 审審 宽寬 宁寧 导導 寻尋 将將 尔爾 尘塵 尽盡 层層 属屬 岛島 师師 帅帥 带帶 帮幫 庄莊 库庫 废廢 异異 弃棄 彻徹',
  '径徑 忆憶 态態 怀懷 怜憐 恋戀 恶惡 恼惱 悦悅 惊驚 惯慣 愿願 战戰 户戶 扑撲 执執 扩擴 扫掃 扬揚 抢搶 护護 担擔 拥擁 择擇',
  '挂掛 挤擠 挥揮 换換 据據 损損 摄攝 摆擺 摇搖 敌敵 数數 断斷 无無 旧舊 显顯 晓曉 书書 术術 机機 杀殺 杂雜 权權 条條 杨楊',
  '极極 构構 枪槍 标標 样樣 树樹 桥橋 检檢 楼樓 欢歡 气氣 汇匯 汉漢 沟溝 泪淚 泽澤 洁潔 浅淺 测測 济濟 浓濃 涨漲 湾灣 满滿',
  '滚滾 灭滅 灯燈 灵靈 灾災 炼煉 烟煙 热熱 爱愛 爷爺 牵牽 犹猶 独獨 狮獅 猎獵 猫貓 献獻 环環 玛瑪 画畫 畅暢 疗療 疯瘋 痒癢',
  '盖蓋 盘盤 盐鹽 监監 睁睜 矿礦 码碼 砖磚 础礎 确確 礼禮 祸禍 离離 种種 积積 称稱 税稅 稳穩 穷窮 窝窩 竞競 笔筆 笼籠 筑築',
  '签簽 简簡 类類 粮糧 紧緊 纪紀 纯純 纳納 纷紛 织織 绍紹 绑綁 绕繞 络絡 绩績 绪緒 绳繩 综綜 缓緩 缘緣 缩縮 罗羅 罚罰 职職',
  '联聯 聪聰 肃肅 肠腸 肤膚 胁脅 脏髒 胜勝 脚腳 脸臉 腾騰 舰艦 艺藝 节節 芦蘆 苏蘇 苹蘋 荐薦 药藥 获獲 莱萊 营營 萝蘿 蓝藍',
  '虑慮 虽雖 虾蝦 蚁蟻 补補 衬襯 袜襪 装裝 规規 视視 览覽 触觸 议議 讯訊 训訓 讲講 证證 评評 诉訴 译譯 诚誠 询詢 谊誼 谋謀',
  '谎謊 谜謎 谣謠 谨謹 贝貝 负負 财財 责責 败敗 质質 贩販 贪貪 购購 贯貫 贴貼 贵貴 费費 贸貿 资資 赏賞 赔賠 赚賺 赛賽 赞讚',
  '赶趕 趋趨 跃躍 践踐 踪蹤 轨軌 转轉 轮輪 软軟 轻輕 载載 较較 辆輛 输輸 辞辭 迁遷 违違 逊遜 邻鄰 郑鄭 酱醬 释釋 针針 钓釣',
  '钥鑰 钮鈕 铃鈴 铅鉛 铜銅 铺鋪 链鏈 销銷 锅鍋 锋鋒 锐銳 键鍵 镇鎮 镜鏡 闭閉 闯闖 闲閒 闹鬧 闻聞 阅閱 队隊 阳陽 阴陰 阵陣',
  '阶階 际際 陆陸 陈陳 险險 随隨 隐隱 难難 雾霧 静靜 韩韓 项項 预預 领領 频頻 颗顆 额額 饮飲 饰飾 饱飽 饼餅 馆館 驶駛 驾駕',
  '验驗 骂罵 鲜鮮 鸭鴨 麦麥 黄黃 齐齊 丰豐 乐樂 乔喬 乱亂 争爭 亏虧 亚亞 产產 亩畝 亲親 亿億 仅僅 从從 仓倉 仪儀 价價 众眾',
  '优優 传傳 伤傷 伦倫 伪偽 体體 侠俠 侣侶 俭儉 债債 倾傾 偿償 储儲 兑兌 兰蘭 兴興 养養 兽獸 军軍 农農 冯馮 决決 况況 冻凍',
  '净淨 凉涼 减減 凑湊 凤鳳 凭憑 击擊 刘劉 则則 刚剛 创創 删刪 别別 剂劑 剑劍 剧劇 劝勸 励勵 劲勁 勋勳 区區 医醫 卢盧 卧臥',
  '厕廁 厢廂 厨廚 叙敘 叠疊 叹嘆 吓嚇 吕呂 吨噸 吴吳 呜嗚 咏詠 咙嚨 哑啞 哗嘩 唤喚 喷噴 嘱囑 团團 圣聖 坛壇 坝壩 坟墳 坠墜',
  '垄壟 垒壘 垫墊 复復',
].join(' ');

/** Traditional forms of the characters left out of PAIRS; they still prove Traditional. */
const EXTRA_TRADITIONAL = '後裡裏乾幹隻麵臺雲餘鬆範穀錶準衝徵於係妳複著';
/** Simplified-only characters without a one-to-one pair above. */
const EXTRA_SIMPLIFIED = '着';

/**
 * Shinjitai and kokuji: forms used in Japan but in neither Chinese script, so a kana-less text
 * that contains them is Japanese (e.g. 駅, 気, 対, 込, 働).
 */
const JAPANESE_ONLY =
  '込働畑峠辻枠匂栃駅気図沢広売読楽薬転県対戦鉄変単発関検険経続様悪圧囲歩歳払帰覚営済辺両仮価拡' +
  '桜渋涙獣縦緑黒恵亜児剤弾従徳応戻拝挿捜摂暁権浜焼産畳稲穏粋絵継繊聴脳舗蔵蛍観訳証謡豊賛軽逓' +
  '遅郷酔釈鋭録隠雑頼顔騒験髪鶏黙齢円';

const SIMPLIFIED = new Set<string>();
const TRADITIONAL = new Set<string>();
for (const pair of PAIRS.split(' ')) {
  const [simplified, traditional] = [...pair];
  if (simplified && traditional) {
    SIMPLIFIED.add(simplified);
    TRADITIONAL.add(traditional);
  }
}
for (const ch of EXTRA_TRADITIONAL) TRADITIONAL.add(ch);
for (const ch of EXTRA_SIMPLIFIED) SIMPLIFIED.add(ch);
const JAPANESE = new Set(JAPANESE_ONLY);

/** Counts of script-specific characters in a text. */
export interface HanEvidence {
  simplified: number;
  traditional: number;
  japanese: number;
}

/**
 * Counts the characters that only one written form uses.
 *
 * @example
 * ```ts
 * hanEvidence('我想退貨，請問怎麼辦'); // { simplified: 0, traditional: 4, japanese: 0 }
 * ```
 */
export function hanEvidence(text: string): HanEvidence {
  const evidence = { simplified: 0, traditional: 0, japanese: 0 };
  for (const ch of text) {
    if (SIMPLIFIED.has(ch)) evidence.simplified++;
    else if (TRADITIONAL.has(ch)) evidence.traditional++;
    if (JAPANESE.has(ch)) evidence.japanese++;
  }
  return evidence;
}

/** The variant a text shows, or undefined when it reads the same in both scripts. */
export function hanVariant(evidence: HanEvidence): HanVariant | undefined {
  if (evidence.simplified > evidence.traditional) return 'Hans';
  if (evidence.traditional > evidence.simplified) return 'Hant';
  return undefined;
}

/** Whether a kana-less Han text is Japanese rather than Chinese. */
export function looksJapanese(evidence: HanEvidence): boolean {
  return evidence.japanese > 0 && evidence.simplified === 0;
}

/** Exposed for the table sanity test. */
export const hanTables = {
  simplified: SIMPLIFIED,
  traditional: TRADITIONAL,
  japanese: JAPANESE,
};

let toSimplified: ((text: string) => string) | undefined;

/**
 * Traditional Chinese as Simplified (OpenCC's Taiwan table). One converter for the process, built
 * on the first Chinese text (~20 ms, ~1.6 MB of heap): retrieval, intents and handoff triggers
 * each used to build their own, and retrieval at start-up whether or not Chinese ever came.
 */
export function simplified(text: string): string {
  const convert = (toSimplified ??= OpenCC.Converter({ from: 'tw', to: 'cn' }));
  return convert(text);
}
