//! Bolt's message framing: each message is a run of chunks (a big-endian
//! u16 length and that many bytes) closed by a zero-length chunk. A
//! message growing past the limit is refused before it is buffered.

use std::io;

use tokio::io::AsyncReadExt;

use super::packstream::{Pack, encode};

/// Why no message was read.
#[derive(Debug)]
pub enum ReadError {
    /// The socket failed (or closed inside a message).
    Io(io::Error),
    /// The message grew past the limit (the limit is given).
    TooLarge(usize),
}

/// Reads one message; `Ok(None)` when the client closed the connection
/// between messages. An empty message is a NOOP (keep-alive).
pub async fn read_message<R: AsyncReadExt + Unpin>(
    reader: &mut R,
    limit: usize,
) -> Result<Option<Vec<u8>>, ReadError> {
    let mut message = Vec::new();
    let mut first = true;
    loop {
        let mut len = [0u8; 2];
        match reader.read_exact(&mut len).await {
            Ok(_) => {}
            Err(e) if first && e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(ReadError::Io(e)),
        }
        first = false;
        let len = usize::from(u16::from_be_bytes(len));
        if len == 0 {
            return Ok(Some(message));
        }
        if message.len() + len > limit {
            return Err(ReadError::TooLarge(limit));
        }
        let start = message.len();
        message.resize(start + len, 0);
        reader
            .read_exact(&mut message[start..])
            .await
            .map_err(ReadError::Io)?;
    }
}

/// Appends `message` to `out` as chunks of at most 65,535 bytes and the
/// closing zero chunk.
pub fn write_message(message: &Pack, out: &mut Vec<u8>) {
    let mut body = Vec::new();
    encode(message, &mut body);
    for chunk in body.chunks(u16::MAX as usize) {
        out.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&[0, 0]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], limit: usize) -> Result<Option<Vec<u8>>, ReadError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut r = bytes;
        rt.block_on(read_message(&mut r, limit))
    }

    #[test]
    fn messages_split_and_join() {
        let big = Pack::String("x".repeat(200_000));
        let mut out = Vec::new();
        write_message(&big, &mut out);
        let body = read(&out, 1 << 20).unwrap().unwrap();
        assert_eq!(super::super::packstream::decode(&body).unwrap(), big);
    }

    #[test]
    fn oversized_truncated_and_empty_streams() {
        let mut out = Vec::new();
        write_message(&Pack::String("x".repeat(1000)), &mut out);
        assert!(matches!(read(&out, 100), Err(ReadError::TooLarge(100))));
        assert!(matches!(read(&out[..10], 1 << 20), Err(ReadError::Io(_))));
        assert!(read(&[], 10).unwrap().is_none());
        assert_eq!(read(&[0, 0], 10).unwrap(), Some(Vec::new()));
        // A chunk announcing more than is sent.
        assert!(matches!(
            read(&[0xFF, 0xFF, 1, 2], 1 << 20),
            Err(ReadError::Io(_))
        ));
    }
}
