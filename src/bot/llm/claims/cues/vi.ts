import type { ClaimCues } from './types.js';

/**
 * Vietnamese. Terms match at word boundaries with tone marks stripped (đ as d) in terms and text,
 * so a one-syllable term stands for every word that differs only by its marks: "đồ ngu" would
 * also be "đồ ngủ" (sleepwear), "ngày" would be "ngay" (at once), "tháng" "thẳng", "giờ" "giỏ",
 * "đừng" "dùng". Such terms are listed only inside longer phrases.
 */
export const vi: ClaimCues = {
  refund: ['hoàn tiền', 'hoàn lại tiền', 'trả lại tiền', 'hoàn trả', 'nhận lại tiền', 'tiền sẽ được hoàn', 'hoàn về tài khoản', 'hoàn về thẻ', 'hoàn tiền về', 'gửi lại tiền', 'chuyển lại tiền', 'refund'],
  returns: ['trả hàng', 'đổi trả', 'hoàn trả hàng', 'gửi lại', 'đổi hàng', 'trả lại', 'hoàn hàng'],
  guarantee: ['đảm bảo', 'cam kết', 'bảo đảm', 'bảo hành'],
  discount: ['giảm giá', 'chiết khấu', 'mã giảm giá', 'phiếu giảm giá', 'voucher', 'coupon', 'khuyến mãi', 'ưu đãi', 'giá đặc biệt', 'rẻ hơn', 'giảm thêm', 'giảm ngay', 'bớt giá', 'sale', 'flash sale', 'hoàn xu', 'giá ưu đãi', 'khớp giá', 'bằng giá', 'giảm giá cho bạn'],
  free: ['miễn phí', 'free', 'freeship', 'free ship', 'không mất phí', 'không tính phí', 'không thu phí', 'không tốn phí', 'không mất tiền', 'tặng kèm', 'quà tặng', 'tặng quý khách', 'tặng anh chị', 'tặng bạn', 'bên em chịu phí', 'shop chịu phí', 'chúng tôi chịu phí', 'chúng tôi sẽ chịu', '0đ', '0 đồng', 'không tốn tiền'],
  shippingCost: ['phí vận chuyển', 'phí ship', 'phí giao hàng', 'tiền ship', 'cước vận chuyển', 'cước phí', 'phí gửi hàng', 'phí ship hoàn', 'phí đổi trả', 'phí trả hàng', 'freeship', 'chi phí', 'phụ phí', 'tính phí', 'mất phí', 'giá tiền', 'mức giá', 'cước'],
  deadline: ['trong vòng', 'ngày làm việc', 'ngày kể từ', 'kể từ ngày', 'ngày đổi trả', 'ngày sau khi', 'trong thời hạn', 'thời hạn', 'hạn chót', 'hết hạn', 'đến hết ngày', 'trước ngày', 'tuần lễ', 'trong tuần', 'tối đa', 'thời gian xử lý', 'thời gian hoàn tiền', 'thời gian đổi trả', 'bất cứ lúc nào', 'bất kỳ lúc nào', 'không giới hạn thời gian'],
  exception: ['ngoại lệ', 'trường hợp đặc biệt', 'cho dù', 'kể cả khi', 'ngay cả khi', 'không cần lý do', 'không hỏi lý do', 'đã qua sử dụng', 'đã sử dụng', 'đã bóc seal', 'đã mở hộp', 'đã bóc tem', 'không có hóa đơn', 'chỉ lần này', 'lần này thôi', 'du di', 'linh động', 'quá hạn', 'hỗ trợ đặc biệt'],
  compensation: ['bồi thường', 'đền bù', 'bù đắp', 'thẻ quà tặng', 'phiếu quà tặng', 'quà tặng', 'tặng kèm', 'tích điểm', 'điểm thưởng', 'tặng xu', 'hoàn xu', 'tín dụng cửa hàng', 'thay lời xin lỗi', 'gửi tặng', 'voucher bồi thường', 'quà xin lỗi', 'làm quà', 'để xin lỗi', 'tặng bạn'],
  negation: ['không', 'chưa', 'chẳng', 'không thể', 'không được', 'không có', 'không bao giờ', 'chẳng bao giờ', 'chưa từng', 'không hề', 'ngoại trừ', 'không áp dụng', 'không hỗ trợ', 'không nhận'],
  notNegation: ['chưa mở', 'chưa sử dụng', 'chưa qua sử dụng', 'chưa bóc'],
  absolute: ['luôn luôn', 'luôn', 'mãi mãi', 'vĩnh viễn', 'trọn đời', 'suốt đời', 'không giới hạn', 'bất cứ lúc nào', 'bất kỳ lúc nào', 'mọi đơn hàng', 'tất cả đơn hàng', 'mọi lúc', 'mọi trường hợp', 'đảm bảo', 'chắc chắn', '100%', 'mọi đơn hàng của bạn', 'không cần tối thiểu', 'không có mức tối thiểu', 'bất kể giá trị', 'bất kể', 'dù thế nào'],
  promise: ['chúng tôi sẽ', 'bên em sẽ', 'shop sẽ', 'em sẽ', 'tôi sẽ', 'mình sẽ', 'sẽ nhận được', 'sẽ được hoàn', 'sẽ được nhận', 'cam kết', 'xin hứa', 'em hứa', 'chúng tôi hứa', 'có quyền', 'được quyền', 'được hưởng', 'dành cho quý khách', 'dành cho anh chị', 'dành cho bạn', 'em xin gửi tặng', 'bên em xin'],
  done: ['đã được duyệt', 'đã duyệt', 'đã được phê duyệt', 'đã phê duyệt', 'đã được xử lý', 'đã xử lý', 'đã hoàn tiền', 'đã được hoàn', 'đã chuyển khoản', 'đã chuyển tiền', 'đang trên đường', 'đang được giao', 'đã áp dụng', 'đã cộng', 'đã xong', 'xong rồi', 'bên em đã', 'chúng tôi đã', 'em đã', 'đã xác nhận'],
  secrets: ['số thẻ tín dụng', 'số thẻ ngân hàng', 'số thẻ atm', 'số thẻ ghi nợ', '16 số trên thẻ', 'thông tin thẻ', 'mã cvv', 'cvv', 'cvc', 'mã bảo mật', 'ngày hết hạn thẻ', 'mã pin thẻ', 'mã pin atm', 'mật khẩu', 'mã sms', 'thông tin đăng nhập', 'tên đăng nhập', 'internet banking', 'tài khoản ngân hàng và mật khẩu'],
  codes: ['mã otp', 'otp', 'mã xác thực', 'mã xác nhận', 'mã xác minh'],
  insults: ['ngu ngốc', 'ngu si', 'ngu như bò', 'thằng ngu', 'im đi', 'im miệng', 'câm miệng', 'câm mồm', 'cút đi', 'biến đi', 'đó là vấn đề của bạn', 'việc của bạn chứ', 'không phải việc của tôi', 'không phải chuyện của tôi', 'mặc kệ bạn', 'chẳng ai quan tâm', 'vô dụng', 'ngớ ngẩn', 'đồ vô dụng'],
  persona: ['cướp biển', 'hải tặc', 'ahoy', 'arr', 'yo ho', 'chế độ nhà phát triển', 'chế độ developer', 'developer mode', 'chế độ thần', 'chế độ dan', 'với vai trò dan', 'jailbreak*', 'không kiểm duyệt', 'giờ tôi là', 'từ giờ tôi là', 'bây giờ tôi là', 'đóng vai', 'bot độc ác', 'bổn tọa', 'lão phu', 'bệ hạ'],
};
