export {
  RtpPacket,
  type RtpPacketFields,
  type RtpHeaderExtension,
  RTP_VERSION,
  RTP_FIXED_HEADER_SIZE,
  isRtpVersion2,
  readRtpPayloadType,
  readRtpSsrc,
} from './rtp-packet.js';
export { RtcpPacketType, isRtcpVersion2, RTCP_HEADER_SIZE } from './rtcp-header.js';
export { type RtcpReportBlock, REPORT_BLOCK_SIZE } from './rtcp-report-block.js';
export { RtcpSenderReport, type RtcpSenderReportFields } from './rtcp-sender-report.js';
export { RtcpReceiverReport, type RtcpReceiverReportFields } from './rtcp-receiver-report.js';
export { RtcpSourceDescription, SdesItemType, type SdesItem, type SdesChunk } from './rtcp-source-description.js';
export { RtcpBye } from './rtcp-bye.js';
export { RtcpRawPacket } from './rtcp-raw-packet.js';
export { type RtcpPacket, parseRtcpCompound, parseRtcpPacket, serializeRtcpCompound } from './rtcp-compound.js';
export {
  seqAdd,
  seqDiff,
  seqNewer,
  timestampAdd,
  timestampDiff,
  SEQUENCE_MODULO,
  TIMESTAMP_MODULO,
} from './sequence-number.js';
export { SequenceTracker, type SequenceVerdict } from './sequence-tracker.js';
