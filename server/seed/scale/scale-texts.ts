/**
 * Words for the realistic ward: Vietnamese names and the kinds of messages the article describes
 * (mostly questions about police procedures, a few dozen about security and order). Fictitious.
 */
export const FAMILY_NAMES = [
  'Nguyễn',
  'Nguyễn',
  'Nguyễn',
  'Trần',
  'Trần',
  'Lê',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
  'Đinh',
  'Đào',
  'Trịnh',
  'Mai',
]
export const MIDDLE_NAMES = [
  'Văn',
  'Thị',
  'Thị',
  'Văn',
  'Đức',
  'Minh',
  'Thu',
  'Ngọc',
  'Quốc',
  'Thanh',
  'Hữu',
  'Kim',
  'Xuân',
  'Hồng',
]
export const GIVEN_NAMES = [
  'An',
  'Anh',
  'Bình',
  'Chi',
  'Cường',
  'Dũng',
  'Dung',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hòa',
  'Hùng',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Minh',
  'Nam',
  'Nga',
  'Ngọc',
  'Nhung',
  'Phong',
  'Phương',
  'Quân',
  'Quang',
  'Sơn',
  'Tâm',
  'Thảo',
  'Thắng',
  'Thủy',
  'Trang',
  'Trung',
  'Tuấn',
  'Vân',
  'Yến',
]
export const RANKS = ['Thiếu úy', 'Trung úy', 'Thượng úy', 'Đại úy', 'Thiếu tá']

/** Kinds of interaction with their share of a quarter's conversations (the labels of S1). */
export const CONVERSATION_MIX: [label: string, weight: number][] = [
  ['procedure', 70],
  ['security_order', 8],
  ['lost_person_property', 5],
  ['scam', 5],
  ['fire_safety', 2],
  ['traffic', 4],
  ['other', 6],
]

export const QUESTIONS: Record<string, string[]> = {
  procedure: [
    'Anh ơi, vợ chồng em mới sinh em bé. Em muốn hỏi có thể làm giấy khai sinh ở nơi tạm trú không hay phải về quê ạ?',
    'Cho em hỏi đăng ký tạm trú cho người thuê trọ cần giấy tờ gì ạ?',
    'Căn cước của mẹ em bị mất, làm lại thì nộp ở đâu ạ?',
    'Em muốn tách hộ khẩu thì làm trên Cổng dịch vụ công được không anh?',
    'Nhà em có khách ở lại 3 đêm, có phải khai báo lưu trú không ạ?',
    'Cho hỏi xác nhận thông tin cư trú mất mấy ngày ạ?',
    'Con em 14 tuổi, làm căn cước lần đầu cần mang gì ạ?',
    'Em đổi chỗ ở sang tổ khác trong phường thì có phải đăng ký lại thường trú không?',
  ],
  security_order: [
    'Có xe máy biển tỉnh ngoài dựng ở ngõ từ chiều qua, không ai trông, em thấy nghi ngờ ạ.',
    'Tối qua ở đầu ngõ có nhóm thanh niên tụ tập, nẹt pô đến khuya.',
    'Nhà hàng xóm hát karaoke quá 23 giờ, nhờ các anh nhắc giúp.',
    'Có người lạ đi hỏi từng nhà về giờ đi làm, em thấy không yên tâm.',
  ],
  lost_person_property: [
    'Em đánh rơi ví có căn cước ở chợ sáng nay, ai nhặt được xin báo giúp.',
    'Có cụ bà đi lạc ở đầu phố, không nhớ địa chỉ nhà.',
    'Con em đi học về muộn hơn một tiếng, chưa liên lạc được.',
  ],
  scam: [
    'Có người gọi xưng là công an yêu cầu chuyển tiền để “xác minh tài khoản”, có phải lừa đảo không ạ?',
    'Em nhận tin nhắn báo trúng thưởng, bảo cài ứng dụng lạ.',
  ],
  fire_safety: [
    'Nhà trọ cạnh nhà em để bình ga ngay lối thoát hiểm.',
    'Cho hỏi mua bình chữa cháy loại nào cho hộ gia đình ạ?',
  ],
  traffic: [
    'Ô tô đỗ chắn lối vào ngõ cả ngày, xe cứu thương không vào được.',
    'Đèn tín hiệu ở ngã tư bị hỏng từ sáng.',
  ],
  other: ['Cho em hỏi số điện thoại trực ban của Công an phường ạ?', 'Tổ dân phố mình bao giờ họp ạ?'],
}

export const ANSWERS = [
  'Chào anh/chị, anh/chị mang căn cước và giấy tờ liên quan đến trụ sở Công an phường, hoặc nộp trên Cổng dịch vụ công nhé.',
  'Cảm ơn anh/chị đã báo. Tổ công tác sẽ đến kiểm tra ngay.',
  'Anh/chị gửi giúp ảnh và vị trí cụ thể để cán bộ xác minh ạ.',
  'Đã tiếp nhận. Anh/chị giữ liên lạc qua số này nhé.',
]
export const THANKS = ['Em cảm ơn anh ạ.', 'Cảm ơn các anh nhiều.', 'Dạ vâng ạ.']

export const GROUP_MESSAGES = [
  'Thông báo: sáng Chủ nhật tổ dân phố tổng vệ sinh ngõ xóm.',
  'Các gia đình lưu ý khóa cửa, dắt xe vào nhà khi ra ngoài.',
  'Cảnh giác cuộc gọi giả danh công an yêu cầu chuyển tiền.',
  'Ai có camera hướng ra ngõ 12 lúc 21 giờ tối qua xin báo giúp.',
  'Cảm ơn các anh đã hỗ trợ tìm được cụ bà đi lạc.',
  'Lịch tiếp dân của Công an phường: sáng thứ Bảy hằng tuần.',
  'Nhắc các chủ nhà trọ khai báo tạm trú cho người thuê mới.',
  'Hôm nay cắt điện từ 8 đến 11 giờ, bà con lưu ý.',
]

export const TIP_MIX: [category: string, weight: number][] = [
  ['theft', 20],
  ['suspicious_person', 15],
  ['suspicious_vehicle', 15],
  ['disorder_fight', 10],
  ['drugs', 5],
  ['gambling', 5],
  ['fire_hazard', 7],
  ['traffic', 8],
  ['scam', 8],
  ['lost_property', 5],
  ['other', 2],
]

export const TIP_TEXTS = [
  'Xe máy không biển số dựng ở khu vực trống vắng từ đêm qua.',
  'Nghe thấy tiếng cãi nhau, đánh nhau ở cuối ngõ.',
  'Có người lạ cạy khóa xe đạp trước cửa nhà.',
  'Nhóm người tụ tập đánh bạc ở bãi đất trống.',
  'Khói bốc ra từ kho hàng không người trông.',
]

export const CASE_TITLES = [
  'Mất trộm xe máy tại ngõ',
  'Gây rối trật tự công cộng',
  'Lừa đảo qua điện thoại',
  'Nghi vấn tụ tập đánh bạc',
  'Tìm người đi lạc',
  'Nguy cơ cháy nổ tại nhà trọ',
]

/** Picks from a weighted list with a number in [0, 1): the same number gives the same pick. */
export function weighted<T extends string>(mix: [T, number][], r: number): T {
  const total = mix.reduce((s, [, w]) => s + w, 0)
  let x = r * total
  for (const [v, w] of mix) {
    x -= w
    if (x < 0) return v
  }
  return mix[mix.length - 1]![0]
}
