//! The binary factor format, version 1. Every integer and float is little-endian.
//!
//! ```text
//! offset  size  field
//! 0       8     magic "HRFACTOR" (ASCII)
//! 8       4     format version (u32), 1
//! 12      8     payload length n in bytes (u64)
//! 20      4     CRC-32 of the payload (u32; IEEE 802.3, as in zlib and PNG)
//! 24      n     payload:
//!               factors F (u32), users U (u32), items I (u32)
//!               U user ids, each a byte length (u32) and that many UTF-8 bytes
//!               I item ids, the same way
//!               U x F user factors (f32, row-major: user 0's F values first)
//!               I x F item factors (f32, row-major)
//! ```
//!
//! The header is the same shape as a saved recommender's (see `persistence`), with its
//! own magic. The content rules are those of [`ImportedFactors::new`].

use super::{invalid, ImportedFactors};
use crate::error::Result;

/// The first bytes of every binary factor file.
pub const MAGIC: &[u8; 8] = b"HRFACTOR";

/// The binary format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

const HEADER_LEN: usize = 24;

/// Writes `factors` in the binary format.
pub(crate) fn encode(factors: &ImportedFactors) -> Vec<u8> {
    let mut payload = Vec::new();
    for count in [
        factors.factors,
        factors.user_ids.len(),
        factors.item_ids.len(),
    ] {
        payload.extend_from_slice(&(count as u32).to_le_bytes());
    }
    for id in factors.user_ids.iter().chain(&factors.item_ids) {
        payload.extend_from_slice(&(id.len() as u32).to_le_bytes());
        payload.extend_from_slice(id.as_bytes());
    }
    for value in factors.user_factors.iter().chain(&factors.item_factors) {
        payload.extend_from_slice(&value.to_le_bytes());
    }

    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    bytes
}

/// Reads the binary format, checking the magic, version, length and checksum before the
/// content.
pub(crate) fn decode(bytes: &[u8]) -> Result<ImportedFactors> {
    let (Some(header), Some(payload)) = (bytes.get(..HEADER_LEN), bytes.get(HEADER_LEN..)) else {
        return Err(invalid(format!(
            "the binary file is truncated: {} bytes, expected a header of {HEADER_LEN}",
            bytes.len()
        )));
    };
    let mut reader = Reader {
        bytes: header,
        offset: 0,
    };
    if reader.take(8, "the magic")? != MAGIC {
        return Err(invalid(
            "not a binary factor file: it does not start with \"HRFACTOR\"".to_string(),
        ));
    }
    let version = reader.u32("the version")?;
    if version != FORMAT_VERSION {
        return Err(invalid(format!(
            "binary format version {version} is not supported, expected {FORMAT_VERSION}"
        )));
    }
    let length = reader.u64("the payload length")?;
    if payload.len() as u64 != length {
        return Err(invalid(format!(
            "the binary file is truncated or padded: the header announces {length} payload \
             bytes, found {}",
            payload.len()
        )));
    }
    let checksum = reader.u32("the checksum")?;
    if crc32fast::hash(payload) != checksum {
        return Err(invalid(
            "the binary file is corrupted: the payload checksum does not match".to_string(),
        ));
    }
    decode_payload(payload)
}

/// Decodes a payload without the header checks, for fuzzing the decoder. `decode` is
/// the entry point for whole files.
#[doc(hidden)]
pub fn decode_payload(payload: &[u8]) -> Result<ImportedFactors> {
    let mut reader = Reader {
        bytes: payload,
        offset: 0,
    };
    let factors = reader.u32("the factor count")? as usize;
    super::check_factor_count(factors)?;
    let users = reader.u32("the user count")? as usize;
    let items = reader.u32("the item count")? as usize;

    // Each id needs at least its 4-byte length, so a count beyond the payload is rejected
    // before anything is allocated for it.
    let user_ids = reader.ids(users, "user")?;
    let item_ids = reader.ids(items, "item")?;
    let user_factors = reader.floats(users, factors, "user factors")?;
    let item_factors = reader.floats(items, factors, "item factors")?;
    let left = reader.remaining();
    if left > 0 {
        return Err(invalid(format!(
            "{left} bytes follow the item factors, expected none"
        )));
    }
    ImportedFactors::new(factors, user_ids, user_factors, item_ids, item_factors)
}

/// A cursor over bytes whose reads fail with a message naming the field.
struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.offset)
    }

    fn take(&mut self, length: usize, field: &str) -> Result<&'a [u8]> {
        let end = self.offset.checked_add(length);
        let Some(slice) = end.and_then(|end| self.bytes.get(self.offset..end)) else {
            return Err(invalid(format!(
                "the binary file is truncated: {field} needs {length} bytes at payload offset \
                 {}, only {} remain",
                self.offset,
                self.remaining()
            )));
        };
        self.offset += length;
        Ok(slice)
    }

    fn u32(&mut self, field: &str) -> Result<u32> {
        let slice = self.take(4, field)?;
        Ok(u32::from_le_bytes(slice.try_into().unwrap_or_default()))
    }

    fn u64(&mut self, field: &str) -> Result<u64> {
        let slice = self.take(8, field)?;
        Ok(u64::from_le_bytes(slice.try_into().unwrap_or_default()))
    }

    fn ids(&mut self, count: usize, noun: &str) -> Result<Vec<String>> {
        if count > self.remaining() / 4 {
            return Err(invalid(format!(
                "the binary file is truncated: {count} {noun} ids cannot fit in the {} bytes \
                 left",
                self.remaining()
            )));
        }
        let mut ids = Vec::with_capacity(count);
        for row in 0..count {
            let field = format!("{noun} id {row}");
            let length = self.u32(&field)? as usize;
            let bytes = self.take(length, &field)?;
            let id = std::str::from_utf8(bytes).map_err(|e| {
                invalid(format!(
                    "{noun} id {row} is not valid UTF-8 ({e}), expected UTF-8 text"
                ))
            })?;
            ids.push(id.to_string());
        }
        Ok(ids)
    }

    fn floats(&mut self, rows: usize, factors: usize, field: &str) -> Result<Vec<f32>> {
        let length = rows
            .checked_mul(factors)
            .and_then(|n| n.checked_mul(4))
            .unwrap_or(usize::MAX);
        let bytes = self.take(length, field)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|chunk| f32::from_le_bytes(chunk.try_into().unwrap_or_default()))
            .collect())
    }
}
