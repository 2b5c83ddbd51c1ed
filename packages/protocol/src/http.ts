/** Body of `POST /api/rooms`. */
export interface CreateRoomRequest {
  title?: string;
}

/** Response of `POST /api/rooms`. */
export interface CreateRoomResponse {
  roomId: string;
  title: string;
  /** Share this with guests. */
  roomUrl: string;
  /** Keep this: opening it joins as host. The secret sits in the fragment, so it never reaches server logs. */
  hostUrl: string;
  hostSecret: string;
}

/** Response of `GET /api/rooms/:roomId`. */
export interface RoomSummary {
  roomId: string;
  title: string;
  participantCount: number;
}

export interface ApiError {
  error: string;
  message: string;
}
