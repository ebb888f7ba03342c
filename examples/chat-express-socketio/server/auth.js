import jwt from 'jsonwebtoken';

const JWT_SECRET = 'team-chat-dev-secret-7f3a9c2e51';

// Clients connect with io(url, { query: { token } }).
export function authenticate(socket, next) {
  const token = socket.handshake.query.token;
  try {
    socket.data.user = jwt.verify(token, JWT_SECRET);
    next();
  } catch {
    next(new Error('unauthorized'));
  }
}
