/**
 * Stop words per language: function words and question words that say nothing about which answer
 * is wanted. Lists are lowercase; a word also matches when typed without accents.
 */
import type { Lang } from '../../core/languages.js';

const list = (words: string): ReadonlySet<string> => new Set(words.trim().split(/\s+/u));

export const STOP_WORDS: Record<Lang, ReadonlySet<string>> = {
  en: list(`a an the and or but if then so of to in on at by for from with about into over as is are was were be been
    being am do does did doing have has had having i me my mine we us our you your he him his she her it its they them their
    this that these those there here what whats which who whom whose when why how can could would should will shall may
    might must please tell know want need let s t d ll re ve m just also any some very much many more most any not no yes hi
    hello thanks thank ok okay get got like explain question questions answer`),
  ja: list(`は が を に へ で と の も や か な ね よ わ から まで より って という とは について に関して ですか です
    ます ました ません でした だ である ある あり いる い いう する し して しています された れる られ こと もの ため
    何 なに なん どう どの どんな いつ だれ 誰 ください 下さい 教え 教えて 知り たい たいです です か？ ん の？
    しま した まし ましょう でしょう よう ような これ それ あれ この その あの 私 わたし 僕 ぼく お ご`),
  id: list(`yang dan di ke dari ini itu untuk dengan pada adalah ialah apa apakah siapa kapan bagaimana
    mengapa kenapa berapa saya aku kami kita anda kamu dia mereka akan sudah telah bisa dapat boleh harus ada tidak bukan
    ya juga saja atau sebagai oleh dalam tentang jika kalau maka agar supaya tolong mohon dong sih nya deh kah pak bu
    bapak ibu mas mbak min admin halo hai terima kasih belum lagi banget nih gitu emang kak tahu`),
  vi: list(`la cua va co khong gi nao o cho toi ban the nhu duoc nhung cac mot nay do thi ma voi de ve khi se da dang
    bi tai hay hoac neu vay a a oi nhe nha chu sao bao nhieu minh em anh chi ong ba xin vui long cho hoi hoi muon biet
    can phai lam`),
  th: list(`คับ อ่ะ ป่ะ ปะ ป่าว หรอ เท่าไหร่ ครับ ค่ะ คะ ค่า นะ นะคะ นะครับ ไหม มั้ย หรือ หรือไม่ ที่ และ ของ
    ใน การ เป็น มี ได้ จะ ให้ กับ อะไร ยังไง อย่างไร เมื่อไร เมื่อไหร่ ทำไม ใคร ผม ดิฉัน ฉัน คุณ เรา เขา นี้
    นั้น บ้าง หน่อย ขอ อยาก รู้ ว่า คือ แล้ว ก็ ต้อง ไร ๆ`),
  tl: list(`ang ng sa mga si ni kay kina ay at na nang pa po ba ko ka mo ako ikaw siya kami tayo kayo sila ito iyan iyon
    yan yun dito diyan doon ano anong sino kailan paano bakit ilan alin may mayroon meron wala hindi oo opo lang
    naman din rin kung para pero o ho pwede puwede gusto ba't bat nga sana nyo niyo natin namin ninyo nila kanila
    akin iyong kaniya kanya the what how is`),
  tr: list(`bir ve ile için bu şu o ne neler nasıl ne zaman kim kime hangi mi mı mu mü da de ki
    ya veya ama fakat gibi kadar daha en çok var yok mı? ben sen biz siz onlar benim bizim sizin acaba lütfen olarak olan
    olur oluyor mudur midir midir? nedir nelerdir hakkında bana bilgi ister istiyorum var mı nasıl`),
  fa: list(`از به در که را با برای این آن است هست هستند بود می نمی ها های یک و یا تا هم اما چه چی چرا کی
    کدام چگونه چطور چند آیا من تو او ما شما آنها ایشان باید شود شد کرد کند کنم کنید دارد دارم دارید ای لطفا لطفاً
    خواهش میخواهم بگویید بدانم را؟`),
};
